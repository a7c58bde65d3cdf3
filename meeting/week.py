"""A week's attendance as data: bodies by meeting days, with totals and attendance rates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from meeting.calendar import bank_holiday
from meeting.roster import bodies_by_id, invitations, invited_on
from meeting.standdowns import stand_downs_between
from storage.models import Attendance, Briefing

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


class Mark(StrEnum):
    """What a cell of the attendance grid shows."""

    PRESENT = "present"
    NIL = "nil"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    NOT_RECORDED = "not recorded"
    NOT_INVITED = "not invited"
    NO_MEETING = "no meeting"


LABELS = {
    Mark.PRESENT: "Present",
    Mark.NIL: "Nil return",
    Mark.APOLOGIES: "Apologies",
    Mark.ABSENT: "Absent",
    Mark.NOT_RECORDED: "Not recorded",
    Mark.NOT_INVITED: "Not invited",
    Mark.NO_MEETING: "No meeting",
}
EXPECTED = (Mark.PRESENT, Mark.NIL, Mark.APOLOGIES, Mark.ABSENT, Mark.NOT_RECORDED)


@dataclass(frozen=True)
class IsoWeek:
    """An ISO week (Monday to Sunday)."""

    year: int
    week: int

    @property
    def label(self) -> str:
        """Like "2026-W47"."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The week's Monday."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        """The week's Sunday."""
        return self.monday + timedelta(days=6)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        """The ISO week a day falls in."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)


def parse_week(text: str, today: date) -> IsoWeek | None:
    """`this`, `last` (or empty: this week) or `YYYY-Www`; None if it is none of them."""
    text = text.strip().lower()
    if text in ("", "this"):
        return IsoWeek.of(today)
    if text == "last":
        return IsoWeek.of(today - timedelta(days=7))
    match = _WEEK.match(text)
    if not match:
        return None
    try:
        date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return IsoWeek(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class DayColumn:
    """A day of the grid: a briefing held, or a weekday without one and why."""

    day: date
    briefing_id: int | None
    extra: bool = False
    reason: str | None = None

    @property
    def held(self) -> bool:
        """True if a briefing was held (opened) that day."""
        return self.briefing_id is not None


@dataclass(frozen=True)
class Tally:
    """Counts of expected attendances (a body invited to a briefing held) by outcome."""

    present: int = 0
    nil: int = 0
    apologies: int = 0
    absent: int = 0
    not_recorded: int = 0

    @property
    def meetings(self) -> int:
        """Attendances expected."""
        return self.present + self.nil + self.apologies + self.absent + self.not_recorded

    @property
    def attended(self) -> int:
        """Present, with or without something to report."""
        return self.present + self.nil

    @property
    def rate(self) -> float | None:
        """Attended as a share of expected; None when nothing was expected."""
        return self.attended / self.meetings if self.meetings else None


def tally(marks: list[Mark]) -> Tally:
    """Count the marks of a row or a column."""
    return Tally(
        present=marks.count(Mark.PRESENT),
        nil=marks.count(Mark.NIL),
        apologies=marks.count(Mark.APOLOGIES),
        absent=marks.count(Mark.ABSENT),
        not_recorded=marks.count(Mark.NOT_RECORDED),
    )


@dataclass(frozen=True)
class BodyRow:
    """One body's marks across the grid's days, and its totals."""

    body_id: int
    code: str
    name: str
    marks: tuple[Mark, ...]
    totals: Tally

    @property
    def absent_every_meeting(self) -> bool:
        """Invited to at least one briefing and absent from all of them."""
        return self.totals.meetings > 0 and self.totals.absent == self.totals.meetings


@dataclass(frozen=True)
class Grid:
    """Bodies (rows) by days (columns) with per-body, per-day and overall totals."""

    start: date
    end: date
    days: tuple[DayColumn, ...]
    rows: tuple[BodyRow, ...]
    per_day: tuple[Tally, ...]
    overall: Tally

    @property
    def briefing_ids(self) -> list[int]:
        """The briefings held in the period."""
        return [d.briefing_id for d in self.days if d.briefing_id is not None]


def _briefings(
    session: Session, start: date, end: date, channel: str | None
) -> dict[date, Briefing]:
    query = (
        select(Briefing)
        .where(col(Briefing.meeting_date) >= start, col(Briefing.meeting_date) <= end)
        .where(col(Briefing.opened_at).is_not(None))
        .order_by(col(Briefing.id))
    )
    if channel is not None:
        query = query.where(Briefing.channel_id == channel)
    found: dict[date, Briefing] = {}
    for briefing in session.exec(query):
        found.setdefault(briefing.meeting_date, briefing)
    return found


def _columns(
    held: dict[date, Briefing],
    downs: dict[date, str],
    *,
    start: date,
    end: date,
    calendar: str,
    today: date,
) -> list[DayColumn]:
    columns: list[DayColumn] = []
    day = start
    while day <= end:
        briefing, holiday = held.get(day), bank_holiday(day, calendar)
        if briefing is not None:
            columns.append(DayColumn(day, briefing.id, extra=briefing.kind == "extra"))
        elif day.weekday() < 5:
            reason = (
                f"bank holiday: {holiday}"
                if holiday
                else f"stood down: {downs[day]}"
                if day in downs
                else "not yet held"
                if day >= today
                else "no briefing held"
            )
            columns.append(DayColumn(day, None, reason=reason))
        day += timedelta(days=1)
    return columns


def load_grid(
    *, session: Session, start: date, end: date, channel: str | None, calendar: str, today: date
) -> Grid:
    """The attendance grid of the days from start to end inclusive (a few queries, no more)."""
    held = _briefings(session, start, end, channel)
    days = _columns(
        held,
        stand_downs_between(session=session, start=start, end=end),
        start=start,
        end=end,
        calendar=calendar,
        today=today,
    )
    ids = [d.briefing_id for d in days if d.briefing_id is not None]
    query = select(
        col(Attendance.briefing_id), col(Attendance.body_id), col(Attendance.state)
    ).where(col(Attendance.briefing_id).in_(ids))
    records = {(briefing, body): Mark(state) for briefing, body, state in session.exec(query)}
    periods, bodies = invitations(session=session), bodies_by_id(session=session)
    recorded_bodies = {body_id for _, body_id in records}
    rows: list[BodyRow] = []
    for body in sorted(bodies.values(), key=lambda b: b.code):
        assert body.id is not None
        history = periods.get(body.id, [])
        if body.id not in recorded_bodies and not any(
            s <= end and (e is None or e >= start) for s, e in history
        ):
            continue
        marks = tuple(_mark(records, history, column, body.id) for column in days)
        rows.append(BodyRow(body.id, body.code, body.name, marks, tally(list(marks))))
    per_day = tuple(tally([row.marks[i] for row in rows]) for i in range(len(days)))
    overall = tally([mark for row in rows for mark in row.marks])
    return Grid(start, end, tuple(days), tuple(rows), per_day, overall)


def _mark(
    records: dict[tuple[int, int], Mark],
    history: list[tuple[date, date | None]],
    column: DayColumn,
    body_id: int,
) -> Mark:
    if column.briefing_id is None:
        return Mark.NO_MEETING
    recorded = records.get((column.briefing_id, body_id))
    if recorded is not None:
        return recorded
    return Mark.NOT_RECORDED if invited_on(history, column.day) else Mark.NOT_INVITED


def load_week(
    *, session: Session, week: IsoWeek, channel: str | None, calendar: str, today: date
) -> Grid:
    """The attendance grid of an ISO week (weekends only where an extra session was held)."""
    return load_grid(
        session=session,
        start=week.monday,
        end=week.sunday,
        channel=channel,
        calendar=calendar,
        today=today,
    )
