"""The week grid: meeting days, bank holidays, stand-downs, mid-week invitations, totals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from config.files import BodySeed
from meeting.attendance import State
from meeting.roster import invite_body, seed_bodies, uninvite_body
from meeting.week import IsoWeek, Mark, load_week, parse_week
from storage.db import session_scope
from storage.models import StandDown
from tests.meeting.attendance_builders import CHANNEL, add_briefing, mark

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("BTP", "British Transport Police"),
    BodySeed("MDP", "Ministry of Defence Police"),
)
CHRISTMAS_WEEK = IsoWeek(2026, 52)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=SEEDS, today=date(2026, 1, 1), now=NOW)
        yield session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", IsoWeek(2026, 48)),
        ("this", IsoWeek(2026, 48)),
        ("LAST", IsoWeek(2026, 47)),
        ("2026-W47", IsoWeek(2026, 47)),
        ("2026w5", IsoWeek(2026, 5)),
        ("2026-W53", IsoWeek(2026, 53)),
        ("2027-W53", None),  # 2027 has 52 ISO weeks
        ("2026-W00", None),
        ("next", None),
        ("47", None),
    ],
)
def test_parse_week(text: str, expected: IsoWeek | None) -> None:
    assert parse_week(text, date(2026, 11, 23)) == expected


def test_last_week_across_new_year() -> None:
    week = parse_week("last", date(2027, 1, 4))
    assert week == IsoWeek(2026, 53) and week.label == "2026-W53"
    assert week.monday == date(2026, 12, 28) and week.sunday == date(2027, 1, 3)


def test_christmas_week_with_a_mid_week_invitation(session: Session) -> None:
    mon, tue, wed, thu = (date(2026, 12, d) for d in (21, 22, 23, 24))
    briefings = {day: add_briefing(session, day) for day in (mon, tue, wed, thu)}
    invite_body(
        session=session, code="COLP", name="City of London Police", day=wed, actor="U", now=NOW
    )
    for day in (mon, tue, wed, thu):
        mark(session, briefings[day], "NCA", State.PRESENT)
        mark(session, briefings[day], "MDP", State.ABSENT)
    mark(session, briefings[mon], "BTP", State.NIL)
    mark(session, briefings[tue], "BTP", State.APOLOGIES)
    mark(session, briefings[wed], "COLP", State.PRESENT)

    grid = load_week(
        session=session,
        week=CHRISTMAS_WEEK,
        channel=CHANNEL,
        calendar="england-and-wales",
        today=date(2027, 1, 4),
    )

    assert [d.day.day for d in grid.days] == [21, 22, 23, 24, 25]
    assert grid.days[4].reason == "bank holiday: Christmas Day" and not grid.days[4].held
    rows = {row.code: row for row in grid.rows}
    assert list(rows) == ["BTP", "COLP", "MDP", "NCA"]
    assert rows["COLP"].marks == (
        Mark.NOT_INVITED,
        Mark.NOT_INVITED,
        Mark.PRESENT,
        Mark.NOT_RECORDED,
        Mark.NO_MEETING,
    )
    assert rows["BTP"].marks[:4] == (Mark.NIL, Mark.APOLOGIES, Mark.NOT_RECORDED, Mark.NOT_RECORDED)
    assert rows["COLP"].totals.meetings == 2 and rows["COLP"].totals.rate == 0.5
    assert rows["BTP"].totals.attended == 1 and rows["BTP"].totals.rate == 0.25
    assert rows["MDP"].absent_every_meeting and not rows["NCA"].absent_every_meeting
    assert [t.meetings for t in grid.per_day] == [3, 3, 4, 4, 0]
    assert grid.per_day[2].attended == 2 and grid.per_day[4].rate is None
    assert grid.overall.meetings == 14 and grid.overall.attended == 6
    assert grid.overall.rate == pytest.approx(6 / 14)


def test_stand_down_extra_session_and_days_without_a_briefing(session: Session) -> None:
    week = IsoWeek(2026, 48)  # Mon 23 to Sun 29 November
    add_briefing(session, date(2026, 11, 23))
    session.add(
        StandDown(meeting_date=date(2026, 11, 24), reason="exercise", by_user="U", created_at=NOW)
    )
    add_briefing(session, date(2026, 11, 28), kind="extra")
    grid = load_week(
        session=session,
        week=week,
        channel=CHANNEL,
        calendar="england-and-wales",
        today=date(2026, 11, 26),
    )
    reasons = {d.day.day: (d.held, d.extra, d.reason) for d in grid.days}
    assert reasons == {
        23: (True, False, None),
        24: (False, False, "stood down: exercise"),
        25: (False, False, "no briefing held"),
        26: (False, False, "not yet held"),
        27: (False, False, "not yet held"),
        28: (True, True, None),
    }
    assert {row.marks[5] for row in grid.rows} == {Mark.NOT_RECORDED}


def test_an_uninvited_body_keeps_its_past_weeks(session: Session) -> None:
    add_briefing(session, date(2026, 11, 16))
    uninvite_body(session=session, code="MDP", last_day=date(2026, 11, 20), actor="U", now=NOW)
    past = load_week(
        session=session,
        week=IsoWeek(2026, 47),
        channel=CHANNEL,
        calendar="england-and-wales",
        today=date(2026, 11, 30),
    )
    after = load_week(
        session=session,
        week=IsoWeek(2026, 48),
        channel=CHANNEL,
        calendar="england-and-wales",
        today=date(2026, 11, 30),
    )
    assert "MDP" in [r.code for r in past.rows]
    assert "MDP" not in [r.code for r in after.rows]
