"""The day's state in every case, and /dbm status, /dbm open and the App Home agreeing on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from blocks.day import build_day_status, build_open_refusal, day_text
from blocks.home import HomeView, build_home_view
from blocks.text import blocks_to_text
from config.files import BodySeed, load_threats
from config.settings import CONFIG_DIR, MeetingSettings
from meeting.attendance import State
from meeting.day import DayPhase, day_state
from meeting.home import today_briefing
from meeting.members import add_member
from meeting.roster import seed_bodies
from meeting.standdowns import stand_down_day
from meeting.status import day_status
from storage.db import session_scope
from tests.meeting.attendance_builders import CHANNEL, add_briefing, add_update, local, mark

LONDON = ZoneInfo("Europe/London")
MEETING = MeetingSettings()
THREATS = load_threats(CONFIG_DIR / "threats.toml")
MONDAY = date(2026, 11, 23)
SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("BTP", "British Transport Police"),
    BodySeed("ERSOU", "Eastern Region Special Operations Unit"),
    BodySeed("PSNI", "Police Service of Northern Ireland"),
)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=SEEDS, today=date(2026, 1, 1), now=local(MONDAY, 7))
        for user, code in (("UALICE", "ERSOU"), ("UBOB", "ERSOU"), ("UCAROL", "BTP")):
            add_member(session=session, user_id=user, code=code, actor="U0", now=local(MONDAY, 7))
        yield session


def _phase(session: Session, now: datetime) -> DayPhase:
    return day_state(session=session, channel=CHANNEL, now=now, meeting=MEETING).phase


def _status(session: Session, now: datetime) -> str:
    status = day_status(session=session, channel=CHANNEL, now=now, meeting=MEETING, threats=THREATS)
    return blocks_to_text(build_day_status(status, LONDON))


def _agree(session: Session, now: datetime) -> str:
    """The day's sentence, checked to be the same in /dbm status and the App Home."""
    today = today_briefing(session=session, channel=CHANNEL, now=now, meeting=MEETING)
    assert today.status == _phase(session, now).value
    sentence = day_text(today, LONDON)
    assert sentence in _status(session, now)
    assert sentence in blocks_to_text(build_home_view(HomeView(zone=LONDON, today=today))["blocks"])
    return sentence


def test_a_meeting_day_before_during_and_after(session: Session) -> None:
    assert _phase(session, local(MONDAY, 7, 0)) is DayPhase.NOT_YET
    assert "opens at 08:30" in _agree(session, local(MONDAY, 7, 0))
    assert _phase(session, local(MONDAY, 9, 0)) is DayPhase.LATE
    assert "`/dbm open` opens it now" in _status(session, local(MONDAY, 9, 0))
    assert _phase(session, local(MONDAY, 10, 30)) is DayPhase.LATE  # the grace's last minute
    assert _phase(session, local(MONDAY, 10, 31)) is DayPhase.MISSED
    assert "too late for the bot" in _agree(session, local(MONDAY, 10, 31))


def test_opening_open_and_closed(session: Session) -> None:
    briefing = add_briefing(session, MONDAY, status="claimed")
    assert _phase(session, local(MONDAY, 8, 30)) is DayPhase.OPENING
    today = today_briefing(
        session=session, channel=CHANNEL, now=local(MONDAY, 8, 30), meeting=MEETING
    )
    assert "being opened right now" in (build_open_refusal(today, None) or "")
    stale = local(MONDAY, 8, 40)  # the claimer died ten minutes ago: /dbm open takes over
    assert _phase(session, stale) is DayPhase.LATE
    briefing.status = "open"
    session.add(briefing)
    mark(session, briefing, "NCA", State.PRESENT)
    mark(session, briefing, "BTP", State.NIL)
    mark(session, briefing, "PSNI", State.APOLOGIES)
    add_update(
        session, briefing, "NCA", "shots fired", local(MONDAY, 9, 0), occurs_at=local(MONDAY, 6)
    )
    now = local(MONDAY, 9, 15)
    assert "The briefing is open" in _agree(session, now)
    status = _status(session, now)
    chase = status.index("*Not yet checked in (1)*")
    assert "• *ERSOU* Eastern Region Special Operations Unit: <@UALICE> <@UBOB>" in status
    counts = status.index("*Roll call:* 2 of 4 bodies checked in · 1 apology · 1 to go")
    answered = status.index("*Answered*")
    assert chase < counts < answered
    today = today_briefing(session=session, channel=CHANNEL, now=now, meeting=MEETING)
    assert "already open" in (build_open_refusal(today, "https://x/p1") or "")

    briefing.status, briefing.closed_at = "closed", local(MONDAY, 11, 0)
    session.add(briefing)
    mark(session, briefing, "ERSOU", State.ABSENT)
    after = local(MONDAY, 11, 5)
    assert "closed at 11:00; the digest is in the thread" in _agree(session, after)
    status = _status(session, after)
    assert "*Final roll call:* 2 of 4 bodies checked in · 1 apology · 1 absent" in status
    assert "*The digest holds* 1 update from 1 body · 1 event · 0 plans" in status
    assert "Not yet checked in" not in status
    today = today_briefing(session=session, channel=CHANNEL, now=after, meeting=MEETING)
    assert "has closed" in (build_open_refusal(today, None) or "")


@pytest.mark.parametrize(
    ("day", "why", "hint"),
    [
        (date(2026, 12, 25), "bank holiday (Christmas Day)", "opens an extra session"),
        (date(2026, 12, 28), "bank holiday (Boxing Day", "opens an extra session"),
        (date(2026, 11, 28), "Saturday", "opens an extra session"),
    ],
)
def test_no_meeting_days_say_why_and_what_a_chair_can_do(
    session: Session, day: date, why: str, hint: str
) -> None:
    now = local(day, 9, 0)
    assert _phase(session, now) is DayPhase.NO_MEETING
    assert f"No meeting today: {why}" in _agree(session, now)
    assert hint in _status(session, now)
    today = today_briefing(session=session, channel=CHANNEL, now=now, meeting=MEETING)
    assert build_open_refusal(today, None) is None  # /dbm open goes ahead (an extra session)


def test_a_stand_down_says_how_to_put_it_back_on(session: Session) -> None:
    stand_down_day(
        session=session, day=date(2026, 11, 26), reason="national exercise", today=MONDAY,
        actor="UCHAIR", now=local(MONDAY, 7), calendar="england-and-wales", channel=CHANNEL,
    )  # fmt: skip
    now = local(date(2026, 11, 26), 9, 0)
    assert "No meeting today: stood down: national exercise" in _agree(session, now)
    assert "`/dbm standdown cancel 26/11/2026` puts the meeting back on" in _status(session, now)


def test_an_extra_session_on_a_bank_holiday(session: Session) -> None:
    add_briefing(session, date(2026, 12, 25), status="open", kind="extra")
    now = local(date(2026, 12, 25), 10, 0)
    assert _phase(session, now) is DayPhase.OPEN
    sentence = _agree(session, now)
    assert (
        "An extra session is open (no scheduled meeting: bank holiday (Christmas Day))" in sentence
    )


def test_an_earlier_briefing_left_open_is_named(session: Session) -> None:
    add_briefing(session, date(2026, 11, 20), status="open")
    status = _status(session, local(MONDAY, 7, 0))
    assert (
        "The briefing of Friday 20 November 2026 is still open: `/dbm close` closes it." in status
    )


def test_summer_time_opens_at_0830_local(session: Session) -> None:
    june = date(2026, 6, 15)
    assert _phase(session, datetime(2026, 6, 15, 7, 29, tzinfo=UTC)) is DayPhase.NOT_YET
    assert _phase(session, datetime(2026, 6, 15, 7, 31, tzinfo=UTC)) is DayPhase.LATE
    assert "opens at 08:30" in _agree(session, local(june, 8, 0))
