"""An HTTP 200 to Slack is a promise: the real bot, stopped mid-burst, keeps every request it
acknowledged.

`python -m bot run --http` runs as a process against the stand-in and the test database. A burst
of thread replies, roll-call presses and modal submissions (30 at a time) is sent; part-way the
bot is stopped with SIGTERM (a deploy) or SIGKILL (a crash), then started again on the same
database. Requests that got no 200 are sent again, as Slack retries them. Afterwards every
request that got a 200 has done its work exactly once, and so has every redelivered one. A
last case redelivers nothing: what never reached the bot is recovered from the thread.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from bench.loadgen import Request, burst
from blocks.ids import ActionId, BlockId, CallbackId, InputId
from bot.run import seed_roster
from config.settings import load_settings
from meeting.roster import body_by_code
from standin import FakeSlack, payloads
from storage.db import session_scope
from storage.models import Attendance, Briefing, Intake, Member, Update
from tests.conftest import CHAIR, CHANNEL, SIGNING_SECRET, make_env
from tests.rig.process import BotProcess

pytestmark = pytest.mark.slow

LONDON = ZoneInfo("Europe/London")
REPLIERS = 60  # people who reply (and submit the form), 4 to a body
PRESSERS = 40  # people who only answer the roll call, 4 to a body
REPLIES, FORMS, AT_ONCE = 300, 30, 30
CODES = [
    "NCA", "ERSOU", "EMSOU", "NERSOU", "ODYSSEY", "SEROCU", "TARIAN", "TITAN", "VIPER", "ZEPHYR",
    "LONDON", "MPS", "BTP", "COLP", "PSCOT", "PSNI", "MDP", "CNC", "BF", "HMRC",
    "HOIE", "HMPPS", "GLAA", "NPICC", "NPAC",
]  # fmt: skip


def _user(n: int) -> str:
    return f"UCRASH{n:03d}"


@dataclass
class Rush:
    """The requests of a morning rush, and what became of each."""

    replies: list[tuple[str, Request]] = field(default_factory=list)  # (ts, request)
    presses: list[Request] = field(default_factory=list)
    forms: list[tuple[str, Request]] = field(default_factory=list)  # (view id, request)

    def all(self) -> list[Request]:
        """Every request, replies, presses and forms interleaved as they would arrive."""
        mixed: list[Request] = []
        forms, presses = list(self.forms), list(self.presses)
        for index, (_, request) in enumerate(self.replies):
            mixed.append(request)
            if index % 10 == 0 and presses:
                mixed.append(presses.pop())
            if index % 10 == 5 and forms:
                mixed.append(forms.pop()[1])
        return mixed + presses + [r for _, r in forms]


def _seed_members(engine: Engine) -> None:
    """Repliers speak for bodies 0-14, pressers for bodies 15-24 (4 people a body)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        for n in range(REPLIERS + PRESSERS):
            index = n // 4 if n < REPLIERS else 15 + (n - REPLIERS) // 4
            body = body_by_code(session=session, code=CODES[index])
            assert body is not None and body.id is not None
            session.add(
                Member(slack_user_id=_user(n), body_id=body.id, added_by=CHAIR, added_at=now)
            )


@pytest.fixture
def world(
    database_url: str, engine: Engine, tmp_path: Path
) -> Iterator[tuple[FakeSlack, dict[str, str]]]:
    """The stand-in (timestamps on the real clock, as Slack's are), the seeded database and the
    bot's environment."""
    with FakeSlack() as fake:
        fake.clock = time.time
        fake.add_user(CHAIR, name="chair")
        fake.set_channel(CHANNEL, name="dbm", is_private=True)
        env = make_env(database_url, fake.base_url, LOG_LEVEL="INFO", DBM_STOP_SECONDS="10")
        seed_roster(load_settings(env), engine, now=datetime(2026, 1, 1, tzinfo=UTC))
        _seed_members(engine)
        yield fake, env


def _open_briefing(bot: BotProcess, fake: FakeSlack, engine: Engine) -> Briefing:
    fields = payloads.slash_command(
        "open", user=CHAIR, channel=CHANNEL, response_url=fake.response_url("open")
    )
    ((status, _),) = burst(bot.url, SIGNING_SECRET, [(payloads.form_body(fields), FORM)])
    assert status == 200
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            found = session.exec(select(Briefing).where(Briefing.status == "open")).first()
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError("the briefing did not open")


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _rush(fake: FakeSlack, briefing: Briefing, *, in_thread: bool) -> Rush:
    """Replies (seeded into the thread when `in_thread`, as Slack holds them), presses, forms."""
    assert briefing.thread_ts is not None and briefing.id is not None
    when = (datetime.now(UTC) - timedelta(hours=1)).astimezone(LONDON)
    rush = Rush()
    for n in range(REPLIES):
        user = _user(n % REPLIERS)
        text = f"EVENT | firearms | {when:%d/%m %H:%M} | Crash test reply {n} from Croydon"
        if in_thread:
            ts = fake.add_message(CHANNEL, user=user, text=text, thread_ts=briefing.thread_ts)
        else:
            ts = f"{time.time() + n / 1000:.6f}"
        event = payloads.message_event(
            user=user, channel=CHANNEL, text=text, ts=ts, thread_ts=briefing.thread_ts
        )
        rush.replies.append((ts, (json.dumps(payloads.event_callback(event)), JSON)))
    for n in range(REPLIERS, REPLIERS + PRESSERS):
        action = payloads.block_action(
            user=_user(n), action_id=ActionId.ROLL_APOLOGIES.value, channel=CHANNEL,
            message_ts=briefing.thread_ts, response_url=fake.response_url(f"press{n}"),
        )  # fmt: skip
        rush.presses.append((payloads.interactive_body(action), FORM))
    for n in range(FORMS):
        rush.forms.append(_form(briefing, n, when))
    return rush


def _form(briefing: Briefing, n: int, when: datetime) -> tuple[str, Request]:
    values = {
        BlockId.UPDATE_KIND: {InputId.KIND: {"selected_option": {"value": "event"}}},
        BlockId.UPDATE_THREATS: {InputId.THREATS: {"selected_options": [{"value": "DRUGS"}]}},
        BlockId.UPDATE_WHEN: {InputId.WHEN: {"selected_date_time": int(when.timestamp())}},
        BlockId.UPDATE_LOCATION: {InputId.LOCATION: {"value": "Dover"}},
        BlockId.UPDATE_SUMMARY: {InputId.SUMMARY: {"value": f"Crash test form {n}"}},
        BlockId.UPDATE_MARKING: {InputId.MARKING: {"selected_option": {"value": "OFFICIAL"}}},
    }
    view_id = f"VCRASH{n:04d}"
    submission = payloads.view_submission(
        user=_user(n), callback_id=CallbackId.UPDATE_MODAL.value, values=values,
        private_metadata=json.dumps({"briefing": briefing.id}), view_id=view_id,
    )  # fmt: skip
    return view_id, (payloads.interactive_body(submission), FORM)


def _send(bot: BotProcess, requests: list[Request]) -> list[int]:
    """Send in bursts of AT_ONCE; each request's HTTP status (0: no answer)."""
    statuses: list[int] = []
    for start in range(0, len(requests), AT_ONCE):
        statuses += [
            s for s, _ in burst(bot.url, SIGNING_SECRET, requests[start : start + AT_ONCE])
        ]
    return statuses


def _send_and_stop(bot: BotProcess, requests: list[Request], signum: signal.Signals) -> list[int]:
    """Send the rush; once about a third was answered, stop the bot with `signum` mid-burst."""
    statuses: list[int] = [0] * len(requests)
    answered = threading.Event()

    def sender() -> None:
        done = 0
        for start in range(0, len(requests), AT_ONCE):
            chunk = burst(bot.url, SIGNING_SECRET, requests[start : start + AT_ONCE])
            for offset, (status, _) in enumerate(chunk):
                statuses[start + offset] = status
            done += sum(1 for status, _ in chunk if status == 200)
            if done >= len(requests) // 3:
                answered.set()

    thread = threading.Thread(target=sender)
    thread.start()
    assert answered.wait(60), "the bot answered too little before the stop"
    time.sleep(0.05)  # into the next burst
    bot.signal(signum)
    thread.join(120)
    return statuses


def _wait_for(engine: Engine, expected_updates: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            updates = session.exec(select(func.count()).select_from(Update)).one()
            pending = session.exec(
                select(func.count()).select_from(Intake).where(col(Intake.done_at).is_(None))
            ).one()
        if updates >= expected_updates and pending == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"{updates} updates stored, {pending} requests pending after {timeout} s")


def _redeliver(bot: BotProcess, requests: list[Request], statuses: list[int]) -> None:
    """Slack retries what got no 200 (up to three times; here until it is answered)."""
    missing = [r for r, s in zip(requests, statuses, strict=True) if s != 200]
    for _ in range(5):
        if not missing:
            return
        answers = _send(bot, missing)
        missing = [r for r, s in zip(missing, answers, strict=True) if s != 200]
    assert not missing, f"{len(missing)} redeliveries never got a 200"


def _check(engine: Engine, rush: Rush, statuses: list[int]) -> None:
    """Every reply and form stored exactly once; every acknowledged press's work done."""
    with session_scope(engine) as session:
        updates = list(session.exec(select(Update)))
        apologies = session.exec(
            select(func.count()).select_from(Attendance).where(Attendance.state == "apologies")
        ).one()
        undone = session.exec(
            select(func.count()).select_from(Intake).where(col(Intake.done_at).is_(None))
        ).one()
    replies = [u for u in updates if u.source == "reply"]
    forms = [u for u in updates if u.source == "modal"]
    assert sorted(str(u.message_ts) for u in replies) == sorted(ts for ts, _ in rush.replies)
    assert len({u.dedupe_key for u in updates}) == len(updates) == REPLIES + FORMS
    assert sorted(u.dedupe_key for u in forms) == sorted(f"modal:{v}" for v, _ in rush.forms)
    assert apologies == PRESSERS // 4 and undone == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_every_acknowledged_request_survives_a_stop_mid_burst(
    world: tuple[FakeSlack, dict[str, str]],
    engine: Engine,
    tmp_path: Path,
    signum: signal.Signals,
) -> None:
    fake, env = world
    log = tmp_path / "bot.log"
    first = BotProcess(env, log)
    try:
        first.wait_ready()
        briefing = _open_briefing(first, fake, engine)
        rush = _rush(fake, briefing, in_thread=False)
        requests = rush.all()
        statuses = _send_and_stop(first, requests, signum)
        code = first.wait(timeout=30)
    finally:
        first.stop()
    acked = sum(1 for s in statuses if s == 200)
    assert 0 < acked < len(requests), f"the stop was not mid-burst ({acked} answered)"
    if signum is signal.SIGTERM:
        assert code == 0 and "stopped in" in log.read_text()
    second = BotProcess(env, log)
    try:
        second.wait_ready()
        _redeliver(second, requests, statuses)
        _wait_for(engine, REPLIES + FORMS)
    finally:
        second.signal(signal.SIGTERM)
        second.wait()
        second.stop()
    _check(engine, rush, statuses)


def test_what_never_reached_the_bot_is_recovered_from_the_thread(
    world: tuple[FakeSlack, dict[str, str]], engine: Engine, tmp_path: Path
) -> None:
    fake, env = world
    log = tmp_path / "bot.log"
    first = BotProcess(env, log)
    try:
        first.wait_ready()
        briefing = _open_briefing(first, fake, engine)
        rush = _rush(fake, briefing, in_thread=True)
        replies = [request for _, request in rush.replies]
        statuses = _send_and_stop(first, replies, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.stop()
    assert 0 < sum(1 for s in statuses if s == 200) < REPLIES
    second = BotProcess(env, log)  # nothing is redelivered: the thread is all there is
    try:
        second.wait_ready()
        _wait_for(engine, REPLIES)
    finally:
        second.signal(signal.SIGTERM)
        second.wait()
        second.stop()
    with session_scope(engine) as session:
        stored = [u.message_ts for u in session.exec(select(Update))]
    assert sorted(str(ts) for ts in stored) == sorted(ts for ts, _ in rush.replies)
    assert all(fake.reactions(CHANNEL, ts) == ["white_check_mark"] for ts, _ in rush.replies)
    assert "recovered from the thread" in log.read_text()
