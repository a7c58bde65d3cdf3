"""The operator's command-line tools: audit, health and purge, through `python -m bot`'s main."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.cli import main
from bot.cli.health import check, planned_runs
from bot.scheduler import build_scheduler
from config.settings import Settings
from meeting.timefmt import fmt_stamp
from service.clock import system_clock
from service.deps import Deps
from slack_adapter.chairs import ChairDirectory
from slack_adapter.client import make_client
from storage.db import session_scope
from storage.models import Body, Briefing, Update
from tests.conftest import make_env
from tests.rig.fake_slack import FakeSlack
from tests.rig.harness import BotUnderTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch, database_url: str, fake_slack: FakeSlack
) -> dict[str, str]:
    env = make_env(database_url, fake_slack.base_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


# ---- health ------------------------------------------------------------------------------


def test_health_when_all_is_well(
    environment: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run_cli(capsys, "health")
    assert code == 0, lines
    assert lines[0].startswith("database: ok (schema ")
    assert lines[1] == "slack: ok (workspace National Crime Agency, bot dbm-bot)"
    assert lines[2] == "scheduler: next runs"
    jobs = {line.split(":")[0].strip() for line in lines[3:-1]}
    assert {"open_briefing", "retention"} <= jobs
    assert lines[-1] == "healthy"


def test_health_with_a_refused_token_exits_1(
    environment: dict[str, str], fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_slack.fail("auth.test", "invalid_auth")
    code, lines, _ = run_cli(capsys, "health")
    assert code == 1
    assert "slack: NOT OK (invalid_auth)" in lines and lines[-1] == "NOT HEALTHY"


def test_health_with_an_unmigrated_database_exits_1(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "empty.sqlite3").touch()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.sqlite3")
    code, lines, _ = run_cli(capsys, "health")
    assert code == 1
    assert lines[0] == "database: NOT OK, at schema none: run python -m bot migrate"


def test_health_with_an_unreachable_database_exits_1(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}")  # a folder, not a database
    code, lines, _ = run_cli(capsys, "health")
    assert code == 1 and lines[0].startswith("database: NOT OK, unreachable (")


def test_health_with_no_database_file_says_so_and_creates_none(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (empty := tmp_path / "empty").mkdir()
    monkeypatch.chdir(empty)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///dbm.sqlite3")
    code, lines, _ = run_cli(capsys, "health")
    assert code == 1 and lines[0] == (
        f"database: NOT OK, there is no database file {empty.resolve() / 'dbm.sqlite3'}: "
        "run python -m bot migrate to create it, or check DATABASE_URL"
    )
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize(
    ("token", "line"),
    [
        (None, "slack: NOT OK, SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token"),
        ("xoxp-1-user", "slack: NOT OK, SLACK_BOT_TOKEN does not start with xoxb-, so it is not"),
    ],
)
def test_health_names_a_missing_or_malformed_token_without_asking_slack(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    token: str | None,
    line: str,
) -> None:
    if token is None:
        monkeypatch.delenv("SLACK_BOT_TOKEN")
    else:
        monkeypatch.setenv("SLACK_BOT_TOKEN", token)
    monkeypatch.delenv("SLACK_API_URL")  # Slack itself, unreachable from here: never asked
    code, lines, _ = run_cli(capsys, "health")
    assert code == 1 and lines[1].startswith(line), lines[1]
    assert "network" not in lines[1] and fake_slack.calls_to("auth.test") == []


def test_health_with_slack_unreachable_says_what_to_check(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # nothing listens there
    code, lines, _ = run_cli(capsys, "health")
    assert code == 1 and lines[1].startswith("slack: NOT OK, cannot reach Slack (")
    assert lines[1].endswith("check the network, any proxy, and SLACK_API_URL if set")


def test_health_lists_the_jobs_in_the_order_they_run_in_uk_time(
    environment: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run_cli(capsys, "health")
    runs = lines[lines.index("scheduler: next runs") + 1 : -1]
    stamps = [datetime.strptime(run.split(": ", 1)[1][4:20], "%d/%m/%Y %H:%M") for run in runs]
    assert code == 0 and len(runs) >= 2 and stamps == sorted(stamps)
    assert all(run.endswith((" GMT", " BST")) for run in runs), runs


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--week", "2026-W47", "--out", "week.xlsx"],
        ["audit", "--since", "2026-11-01"],
        ["purge"],
        ["purge", "--dry-run"],
    ],
)
def test_tools_given_no_database_file_stop_with_one_line_and_create_none(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the default, dbm.sqlite3 here
    code, lines, err = run_cli(capsys, *argv)
    assert code == 2 and lines == []
    assert err == (
        f"dbm-bot: DATABASE_URL: there is no database file {tmp_path.resolve() / 'dbm.sqlite3'}: "
        "run `python -m bot migrate` to create it, or check DATABASE_URL\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_next_runs_come_from_the_triggers_without_starting_the_scheduler(
    settings: Settings, engine: Engine
) -> None:
    deps = Deps(settings, engine, system_clock, ChairDirectory((), None))
    scheduler = build_scheduler(deps=deps, client=make_client(settings))
    friday_noon = datetime(2026, 11, 27, 12, 5, tzinfo=UTC)
    runs = planned_runs(scheduler, friday_noon)
    assert runs["open_briefing"] == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert runs["retention"] == datetime(2026, 11, 28, 3, 15, tzinfo=UTC)
    assert not scheduler.running
    assert check(deps, make_client(settings), friday_noon)["scheduler"]["ok"] is True


def test_healthz_with_a_running_scheduler_is_200_with_next_runs(bot: BotUnderTest) -> None:
    bot.scheduler = build_scheduler(deps=bot.deps, client=bot.client)
    bot.scheduler.start()
    try:
        response = bot.get("/healthz")
        report = response.json()
        assert response.status == 200 and report["ok"] is True
        assert {"open_briefing", "retention"} <= set(report["scheduler"]["next_runs"])
        assert all(report["scheduler"]["next_runs"].values())
    finally:
        bot.scheduler.shutdown(wait=False)
    assert bot.get("/healthz").status == 503  # a stopped scheduler is unhealthy


# ---- purge -------------------------------------------------------------------------------


def add_update(engine: Engine, key: str, age: timedelta) -> int:
    created = datetime.now(UTC) - age
    with session_scope(engine) as session:
        body = session.exec(select(Body)).first() or Body(
            code="NCA", name="NCA", created_at=created
        )
        briefing = Briefing(
            channel_id="C0DBM",
            meeting_date=created.date(),
            status="closed",
            events_from=created,
            plans_until=created,
            claimed_at=created,
            claimed_by="test",
        )
        session.add_all([body, briefing])
        session.flush()
        assert body.id is not None and briefing.id is not None
        update = Update(
            dedupe_key=key,
            briefing_id=briefing.id,
            body_id=body.id,
            author_id="UALICE",
            kind="plan",
            summary="text that must not be printed",
            source="modal",
            channel_id="C0DBM",
            created_at=created,
            updated_at=created,
        )
        session.add(update)
        session.flush()
        assert update.id is not None
        return update.id


def uk_stamp(at: datetime) -> str:
    return fmt_stamp(at, ZoneInfo("Europe/London"))


def summaries(engine: Engine) -> list[str | None]:
    with session_scope(engine) as session:
        return [u.summary for u in session.exec(select(Update).order_by(Update.id))]


def test_purge_dry_run_shows_counts_and_ids_and_changes_nothing(
    environment: dict[str, str], engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    old = add_update(engine, "old", timedelta(days=100))
    add_update(engine, "new", timedelta(days=10))
    cutoffs = [uk_stamp(datetime.now(UTC) - timedelta(days=90))]
    code, lines, _ = run_cli(capsys, "purge", "--dry-run")
    cutoffs.append(uk_stamp(datetime.now(UTC) - timedelta(days=90)))  # the minute may turn
    assert code == 0
    assert lines[0] in [
        f"would remove the text of 1 updates created before {c}: {old}" for c in cutoffs
    ]
    assert lines[1] == "would remove the quoted text from 0 audit entries about those updates"
    assert lines[2].startswith("would remove 0 Slack requests")
    assert "must not be printed" not in "\n".join(lines)
    assert summaries(engine) == ["text that must not be printed"] * 2


def test_purge_removes_old_text(
    environment: dict[str, str], engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    old = add_update(engine, "old", timedelta(days=100))
    add_update(engine, "new", timedelta(days=10))
    code, lines, _ = run_cli(capsys, "purge")
    assert code == 0 and lines[0].startswith("removed the text of 1 updates")
    assert lines[0].endswith(f": {old}")
    assert summaries(engine) == [None, "text that must not be printed"]
    assert run_cli(capsys, "purge")[1][0].startswith("removed the text of 0 updates")
