"""Health that tells the truth: /livez, /readyz and /healthz through the real app over HTTP.

A database that refuses writes is made by opening every new connection read-only: SQLite's
read-only mode (SQLITE_READONLY, what a file the bot may not write gives) and PostgreSQL's
`default_transaction_read_only` (SQLSTATE 25006, what a standby gives). A file made read-only
with chmod and a disk that is really full are in tests/bot/test_health_disk.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.cli.health import check, report_lines
from bot.health import DatabaseCheck
from bot.scheduler import build_scheduler
from bot.server import health_server
from config.errors import ConfigError
from storage.models import HealthProbe
from storage.probe import FORGET_AFTER, problem, write_probe
from tests.rig.harness import BotUnderTest


class Timer:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def read_only(engine: Engine) -> Iterator[None]:
    """Every connection `engine` opens from now on is read-only: SQLite opens the file in
    read-only mode (as it does a file it may not write), PostgreSQL's sessions default to
    read-only transactions (as on a standby)."""

    def connect_read_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: Any) -> None:
        if engine.dialect.name == "sqlite":
            cargs[0], cparams["uri"] = f"file:{cargs[0]}?mode=ro", True
        else:
            cparams["options"] = "-c default_transaction_read_only=on"

    event.listen(engine, "do_connect", connect_read_only)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "do_connect", connect_read_only)
        engine.dispose()


@pytest.fixture
def running(bot: BotUnderTest) -> Iterator[BotUnderTest]:
    """The bot with its scheduler running, as `python -m bot run` has it."""
    bot.scheduler = build_scheduler(deps=bot.deps, client=bot.client)
    bot.scheduler.start()
    yield bot
    bot.scheduler.shutdown(wait=False)


@pytest.fixture
def timer(bot: BotUnderTest) -> Timer:
    """The readiness check's cache runs on a clock the test moves."""
    timer = Timer()
    bot.health.database = DatabaseCheck(bot.engine, bot.clock, timer=timer)
    return timer


def statuses(bot: BotUnderTest) -> dict[str, int]:
    return {path: bot.get(path).status for path in ("/livez", "/readyz", "/healthz")}


def test_a_running_bot_is_live_ready_and_healthy(running: BotUnderTest) -> None:
    assert statuses(running) == {"/livez": 200, "/readyz": 200, "/healthz": 200}
    assert running.get("/livez").json() == {"ok": True, "scheduler": {"ok": True}}
    assert running.get("/readyz").json() == {
        "ok": True,
        "database": {"ok": True, "reachable": True, "migrated": True, "writable": True},
        "stopping": False,
    }


def test_no_answer_names_the_workspace_or_the_bot(running: BotUnderTest) -> None:
    auth = running.client.auth_test()
    names = [auth["team"], auth["user"], auth["team_id"], auth["user_id"]]
    for path in ("/livez", "/readyz", "/healthz"):
        body = running.get(path).body
        assert not [name for name in names if name in body], (path, body)
    assert running.get("/healthz").json()["slack"] == {"ok": True}


def test_slack_away_fails_neither_liveness_nor_readiness(running: BotUnderTest) -> None:
    running.health.client = WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    assert statuses(running) == {"/livez": 200, "/readyz": 200, "/healthz": 503}
    assert running.get("/healthz").json()["slack"] == {"ok": False, "error": "network: URLError"}


def test_a_database_refusing_writes_fails_readiness_not_liveness(
    running: BotUnderTest, timer: Timer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.health")
    with read_only(running.engine):
        assert statuses(running) == {"/livez": 200, "/readyz": 503, "/healthz": 503}
        database = running.get("/readyz").json()["database"]
        assert database == {
            "ok": False,
            "reachable": True,
            "migrated": True,
            "writable": False,
            "error": "read-only",
        }
    assert running.get("/readyz").status == 503  # the answer holds for five seconds
    timer.now += 5
    assert statuses(running) == {"/livez": 200, "/readyz": 200, "/healthz": 200}
    assert [r.getMessage() for r in caplog.records] == [
        "not ready: the database refuses writes (read-only); requests from Slack cannot be "
        "stored, /readyz answers 503 until it can",
        "ready again: the database takes writes; /readyz answers 200",
    ]


def test_readiness_writes_at_most_once_in_five_seconds(bot: BotUnderTest, timer: Timer) -> None:
    def checked_at() -> Any:
        with bot.session() as session:
            return session.exec(select(HealthProbe.checked_at)).one()

    assert bot.get("/readyz").status == 200
    first = checked_at()
    bot.clock.advance(seconds=3)
    timer.now += 4.9
    assert bot.get("/readyz").status == 200 and checked_at() == first
    timer.now += 0.1
    assert bot.get("/readyz").status == 200 and checked_at() == first + timedelta(seconds=3)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_liveness_fails_when_the_scheduler_thread_has_died(running: BotUnderTest) -> None:
    scheduler = running.scheduler

    def broken() -> float:
        raise RuntimeError("a fault in the scheduler's loop")

    scheduler._process_jobs = broken
    scheduler.wakeup()
    scheduler._thread.join(5)
    assert scheduler.running  # APScheduler still says so: only the thread tells
    assert statuses(running) == {"/livez": 503, "/readyz": 200, "/healthz": 503}
    assert running.get("/livez").json() == {"ok": False, "scheduler": {"ok": False}}


def test_readiness_fails_once_a_stop_has_begun(running: BotUnderTest) -> None:
    running.health.stopping.set()
    assert statuses(running) == {"/livez": 200, "/readyz": 503, "/healthz": 200}
    assert running.get("/readyz").json()["stopping"] is True


def test_the_command_line_check_writes_as_readiness_does(bot: BotUnderTest) -> None:
    with read_only(bot.engine):
        report = check(bot.deps, bot.client, bot.clock())
    lines = report_lines(report, bot.settings.meeting.timezone)
    assert report["ok"] is False and lines[-1] == "NOT HEALTHY"
    assert lines[0].startswith(
        "database: NOT OK, it refuses writes (read-only), so Slack's requests cannot be stored: "
        "check that the bot's user can write the SQLite file"
    )
    assert lines[1] == "slack: ok (workspace National Crime Agency, bot dbm-bot)"  # on the host
    healthy = report_lines(check(bot.deps, bot.client, bot.clock()), bot.settings.meeting.timezone)
    assert healthy[0].endswith(", takes writes)") and healthy[-1] == "healthy"


def test_the_probe_keeps_a_row_an_instance_and_forgets_instances_long_gone(
    bot: BotUnderTest,
) -> None:
    now = bot.clock()
    assert write_probe(bot.engine, "gone", now - FORGET_AFTER - timedelta(seconds=1)) is None
    assert write_probe(bot.engine, "quiet", now - FORGET_AFTER + timedelta(minutes=1)) is None
    assert write_probe(bot.engine, "here", now - timedelta(minutes=1)) is None
    assert write_probe(bot.engine, "here", now) is None
    with bot.session() as session:
        rows = session.exec(select(HealthProbe).order_by(HealthProbe.instance)).all()
        assert [(row.instance, row.checked_at) for row in rows] == [
            ("here", now),
            ("quiet", now - FORGET_AFTER + timedelta(minutes=1)),
        ]


class DriverError(Exception):
    def __init__(self, sqlite_errorname: str = "", sqlstate: str = "") -> None:
        super().__init__("INSERT ... parameters: ('the text of an update',)")
        self.sqlite_errorname, self.sqlstate = sqlite_errorname, sqlstate


@pytest.mark.parametrize(
    ("driver", "words"),
    [
        (DriverError(sqlite_errorname="SQLITE_READONLY"), "read-only"),
        (DriverError(sqlite_errorname="SQLITE_READONLY_DBMOVED"), "read-only"),
        (DriverError(sqlite_errorname="SQLITE_FULL"), "disk full"),
        (DriverError(sqlite_errorname="SQLITE_IOERR_WRITE"), "disk error"),
        (DriverError(sqlite_errorname="SQLITE_BUSY"), "locked by another writer"),
        (DriverError(sqlstate="25006"), "read-only"),
        (DriverError(sqlstate="53100"), "disk full"),
        (DriverError(sqlstate="53200"), "out of resources"),
        (DriverError(sqlstate="42501"), "no permission"),
        (DriverError(sqlstate="08006"), "unreachable"),
        (DriverError(sqlstate="57P01"), "shutting down"),
        (DriverError(), "DriverError"),
    ],
)
def test_database_errors_in_words_never_their_message(driver: DriverError, words: str) -> None:
    assert problem(OperationalError("INSERT", {}, driver)) == words


def test_a_health_port_in_use_is_one_line_naming_the_setting() -> None:
    first = health_server({}, 0)
    try:
        with pytest.raises(ConfigError, match=rf"^DBM_HEALTH_PORT={first.port}: cannot listen"):
            health_server({}, first.port)
    finally:
        threading.Thread(target=first.serve, daemon=True).start()
        first.stop(0.5)
