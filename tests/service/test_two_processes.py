"""Exactly one briefing a day with real bot processes: racing, and restarting after a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from meeting.briefings import STALE_CLAIM
from storage.models import Briefing
from tests.conftest import CHANNEL, TEST_DATABASE_URL, make_env
from tests.rig.fake_slack import FakeSlack
from tests.rig.open_worker import CRASH_EXIT

pytestmark = pytest.mark.slow  # starts processes

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 23, 8, 30, tzinfo=LONDON)
ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres://", "postgresql://", "postgresql+"))


def start_worker(
    fake: FakeSlack, database_url: str, folder: Path, name: str, at: list[datetime], *flags: str
) -> subprocess.Popen[str]:
    """A bot process that opens the briefing at each instant when released."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    base.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "tests.rig.open_worker", "--dir", str(folder)]
    command += ["--name", name, *flags]
    for instant in at:
        command += ["--at", instant.isoformat()]
    env = {**base, **make_env(database_url, fake.base_url)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def release(folder: Path, index: int, names: list[str], timeout: float = 60.0) -> None:
    """Wait until every named worker is ready for round `index`, then let them all go at once."""
    deadline = time.monotonic() + timeout
    while not all((folder / f"ready-{index}-{name}").exists() for name in names):
        assert time.monotonic() < deadline, f"workers {names} never got ready for round {index}"
        time.sleep(0.002)
    (folder / f"go-{index}").touch()


def outcomes(worker: subprocess.Popen[str], expected_exit: int = 0) -> list[dict[str, Any]]:
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == expected_exit, err
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def briefings(engine: Engine) -> list[Briefing]:
    from storage.db import session_scope

    with session_scope(engine) as session:
        return list(session.exec(select(Briefing).order_by(Briefing.meeting_date)))


def headers(fake: FakeSlack) -> list[dict[str, Any]]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="two bot processes sharing one database is the PostgreSQL deployment: "
    "set TEST_DATABASE_URL=postgresql://... to run it",
)
def test_two_processes_on_postgres_post_exactly_one_briefing_a_day(
    fake_slack: FakeSlack, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    days = [MONDAY + timedelta(days=n) for n in range(5)]
    workers = [start_worker(fake_slack, database_url, tmp_path, name, days) for name in ("a", "b")]
    for index in range(len(days)):
        release(tmp_path, index, ["a", "b"])
    results = [outcomes(worker) for worker in workers]
    for first, second in zip(*results, strict=True):
        assert sorted([first["status"], second["status"]]) in (
            ["already_open", "posted"],
            ["in_progress", "posted"],
        ), (first, second)
    assert len(headers(fake_slack)) == len(days)
    stored = briefings(engine)
    assert [b.meeting_date for b in stored] == [d.date() for d in days]
    assert all(b.status == "open" for b in stored)
    assert {b.thread_ts for b in stored} == {m["ts"] for m in fake_slack.messages(CHANNEL)}


def test_restart_after_a_crash_adopts_the_posted_header(
    fake_slack: FakeSlack, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    dying = start_worker(fake_slack, database_url, crashed, "a", [MONDAY], "--die-after-post")
    release(crashed, 0, ["a"])
    assert outcomes(dying, expected_exit=CRASH_EXIT) == []
    ((header,),) = [headers(fake_slack)]
    assert header["metadata"]["event_payload"] == {"meeting_date": "2026-11-23"}
    (claim,) = briefings(engine)
    assert claim.status == "claimed" and claim.thread_ts is None

    restarted = tmp_path / "restarted"
    restarted.mkdir()
    # At once, not after the claim goes stale: the header is found in the channel and recorded.
    soon, later = MONDAY + timedelta(seconds=5), MONDAY + STALE_CLAIM + timedelta(minutes=1)
    worker = start_worker(fake_slack, database_url, restarted, "b", [soon, later])
    release(restarted, 0, ["b"])
    release(restarted, 1, ["b"])
    assert [r["status"] for r in outcomes(worker)] == ["already_open", "already_open"]
    assert len(headers(fake_slack)) == 1  # adopted, not posted again
    (briefing,) = briefings(engine)
    assert briefing.status == "open" and briefing.opened_by == "worker-a"
    assert briefing.thread_ts == fake_slack.messages(CHANNEL)[0]["ts"]


def test_restart_after_a_crash_before_posting_posts_once(
    fake_slack: FakeSlack, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    dying = start_worker(fake_slack, database_url, tmp_path, "a", [MONDAY], "--die-before-post")
    release(tmp_path, 0, ["a"])
    outcomes(dying, expected_exit=CRASH_EXIT)
    assert headers(fake_slack) == []
    later = MONDAY + STALE_CLAIM + timedelta(seconds=1)
    (tmp_path / "x").mkdir()
    worker = start_worker(fake_slack, database_url, tmp_path / "x", "b", [later])
    release(tmp_path / "x", 0, ["b"])
    assert [r["status"] for r in outcomes(worker)] == ["posted"]
    assert len(headers(fake_slack)) == 1
    (briefing,) = briefings(engine)
    assert briefing.meeting_date == date(2026, 11, 23) and briefing.status == "open"
