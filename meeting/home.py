"""What the App Home shows a person: today's briefing, their body's week, their updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from config.settings import MeetingSettings
from meeting.attendance import get_attendance
from meeting.calendar import local_date
from meeting.day import DayState, day_state
from meeting.roster import invited_bodies, member_bodies
from meeting.update_view import UpdateView, load_update_views
from storage.models import Attendance, Body, Briefing, Update


@dataclass(frozen=True)
class TodayBriefing:
    """Today's meeting as every surface shows it (App Home, /dbm status, /dbm open): built from
    meeting.day.day_state, so they agree. `status` is a DayPhase value."""

    day: date
    status: str  # not_yet | late | opening | open | closed | no_meeting | missed
    reason: str | None  # why there is no scheduled meeting today
    briefing_id: int | None
    channel_id: str
    thread_ts: str | None
    events_from: datetime | None
    plans_until: datetime | None
    opens_at: datetime
    call_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    reason_kind: str | None = None  # weekend | bank_holiday | stand_down
    extra: bool = False
    left_open: date | None = None  # an earlier briefing still open


@dataclass(frozen=True)
class DayRecord:
    """One weekday of a body's week: the roll-call state if a briefing was held."""

    day: date
    held: bool
    state: str | None


@dataclass(frozen=True)
class BodyWeek:
    """A body's roll-call record for the days of this week so far."""

    code: str
    name: str
    days: tuple[DayRecord, ...]


@dataclass(frozen=True)
class RollCallLine:
    """A body invited today and its roll-call state (None: no answer yet)."""

    code: str
    name: str
    state: str | None


def today_view(state: DayState, channel: str) -> TodayBriefing:
    """The display facts of a day's state."""
    briefing, why, times = state.briefing, state.no_meeting, state.times
    return TodayBriefing(
        day=state.day,
        status=state.phase.value,
        reason=why.text if why else None,
        briefing_id=briefing.id if briefing else None,
        channel_id=channel,
        thread_ts=briefing.thread_ts if briefing else None,
        events_from=briefing.events_from if briefing else None,
        plans_until=briefing.plans_until if briefing else None,
        opens_at=times.opens_at,
        call_at=times.call_at,
        closes_at=times.closes_at,
        closed_at=briefing.closed_at if briefing else None,
        reason_kind=why.kind.value if why else None,
        extra=state.extra,
        left_open=state.left_open,
    )


def today_briefing(
    *, session: Session, channel: str, now: datetime, meeting: MeetingSettings
) -> TodayBriefing:
    """Today's briefing: its state, thread, windows and the day's timetable."""
    state = day_state(session=session, channel=channel, now=now, meeting=meeting)
    return today_view(state, channel)


def _week_briefings(*, session: Session, channel: str, today: date) -> dict[date, Briefing]:
    monday = today - timedelta(days=today.weekday())
    query = select(Briefing).where(
        Briefing.channel_id == channel,
        col(Briefing.meeting_date) >= monday,
        col(Briefing.meeting_date) <= today,
        col(Briefing.opened_at).is_not(None),
    )
    return {briefing.meeting_date: briefing for briefing in session.exec(query)}


def week_attendance(
    *, session: Session, user_id: str, channel: str, now: datetime, meeting: MeetingSettings
) -> list[BodyWeek]:
    """The roll call of each body the person speaks for, Monday to today."""
    today = local_date(now, meeting.timezone)
    held = _week_briefings(session=session, channel=channel, today=today)
    days = [today - timedelta(days=n) for n in range(today.weekday(), -1, -1)]
    weeks = []
    for body in member_bodies(session=session, user_id=user_id):
        assert body.id is not None
        records = []
        for day in days:
            briefing = held.get(day)
            row = None
            if briefing is not None and briefing.id is not None:
                row = get_attendance(session=session, briefing_id=briefing.id, body_id=body.id)
            records.append(DayRecord(day, briefing is not None, row.state if row else None))
        weeks.append(BodyWeek(body.code, body.name, tuple(records)))
    return weeks


def updates_today(*, session: Session, user_id: str, briefing_id: int | None) -> list[UpdateView]:
    """The person's active updates in today's briefing, oldest first."""
    if briefing_id is None:
        return []
    where = [
        col(Update.briefing_id) == briefing_id,
        col(Update.author_id) == user_id,
        col(Update.status) == "active",
    ]
    return load_update_views(session=session, where=where)


def roll_call(*, session: Session, briefing_id: int | None, day: date) -> list[RollCallLine]:
    """Each body invited on a day with its roll-call state at that day's briefing."""
    states: dict[int, str] = {}
    if briefing_id is not None:
        rows = session.exec(select(Attendance).where(Attendance.briefing_id == briefing_id))
        states = {row.body_id: row.state for row in rows}
    bodies: list[Body] = invited_bodies(session=session, day=day)
    return [RollCallLine(b.code, b.name, states.get(b.id or 0)) for b in bodies]
