"""The day's record of a closed briefing: windows, attendance by body, the digest's updates, and
the urgent demands opened, met and lapsed since the previous briefing closed.

It reuses the digest's read model for the updates (one view of an update everywhere); the
record adds what a report to directors needs around it. Written once a day to the week's
canvas (bot/record_canvas.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, and_, col, or_, select

from config.files import Threat
from meeting.attendance import briefing_records
from meeting.briefings import previous_briefing
from meeting.digest import Digest, build_digest
from meeting.roster import bodies_by_id, invited_bodies
from meeting.week import Mark
from storage.models import Briefing, Update


@dataclass(frozen=True)
class BodyMark:
    """An invited body's roll-call mark at the briefing."""

    code: str
    name: str
    mark: Mark


@dataclass(frozen=True)
class DemandLine:
    """An urgent demand as the record lists it."""

    update_id: int
    body_code: str
    summary: str
    due_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class MeetingRecord:
    """Everything the day's record shows of one briefing."""

    briefing_id: int
    meeting_date: date
    events_from: datetime
    opened_at: datetime | None
    plans_until: datetime
    closed_at: datetime | None
    attendance: tuple[BodyMark, ...]
    digest: Digest
    opened: tuple[DemandLine, ...]
    met: tuple[DemandLine, ...]
    lapsed: tuple[DemandLine, ...]


def week_commencing(day: date) -> date:
    """The Monday of the week a day falls in."""
    return day - timedelta(days=day.weekday())


def _attendance(session: Session, briefing: Briefing) -> tuple[BodyMark, ...]:
    assert briefing.id is not None
    records = briefing_records(session=session, briefing_id=briefing.id)
    marks = []
    for body in invited_bodies(session=session, day=briefing.meeting_date):
        row = records.get(body.id or 0)
        marks.append(BodyMark(body.code, body.name, Mark(row.state) if row else Mark.NOT_RECORDED))
    return tuple(marks)


def _since(session: Session, briefing: Briefing) -> datetime:
    """Where the record's account of demands starts: the previous briefing's close."""
    before = previous_briefing(
        session=session, channel=briefing.channel_id, before=briefing.meeting_date
    )
    if before is not None and before.closed_at is not None:
        return before.closed_at
    return briefing.events_from


def _line(update: Update, codes: dict[int, str]) -> DemandLine:
    assert update.id is not None
    return DemandLine(
        update.id,
        codes.get(update.body_id, "?"),
        update.summary or "",
        update.due_at,
        update.demand_closed_at,
    )


def _met(session: Session, since: datetime, until: datetime) -> list[Update]:
    query = (
        select(Update)
        .where(Update.kind == "demand", Update.demand_status == "met")
        .where(col(Update.demand_closed_at) > since, col(Update.demand_closed_at) <= until)
        .order_by(col(Update.demand_closed_at), col(Update.id))
    )
    return list(session.exec(query))


def _lapsed(session: Session, since: datetime, until: datetime) -> list[Update]:
    """Demands whose due time passed unmet in the span, or that were marked lapsed in it."""
    still_open = and_(
        col(Update.status) == "active",
        col(Update.demand_status) == "open",
        col(Update.due_at) > since,
        col(Update.due_at) <= until,
    )
    marked = and_(
        col(Update.demand_status) == "lapsed",
        col(Update.demand_closed_at) > since,
        col(Update.demand_closed_at) <= until,
    )
    query = (
        select(Update)
        .where(Update.kind == "demand", or_(still_open, marked))
        .order_by(col(Update.due_at), col(Update.id))
    )
    return list(session.exec(query))


def build_meeting_record(
    *, session: Session, briefing: Briefing, threats: tuple[Threat, ...], now: datetime
) -> MeetingRecord:
    """The day's record of a briefing (closed, or closing at `now`)."""
    assert briefing.id is not None
    digest = build_digest(session=session, briefing=briefing, threats=threats)
    codes = {i: b.code for i, b in bodies_by_id(session=session).items()}
    since, until = _since(session, briefing), briefing.closed_at or now
    return MeetingRecord(
        briefing_id=briefing.id,
        meeting_date=briefing.meeting_date,
        events_from=briefing.events_from,
        opened_at=briefing.opened_at,
        plans_until=briefing.plans_until,
        closed_at=briefing.closed_at,
        attendance=_attendance(session, briefing),
        digest=digest,
        opened=tuple(
            DemandLine(i.update_id, i.body_code, i.summary, i.due_at, None) for i in digest.demands
        ),
        met=tuple(_line(u, codes) for u in _met(session, since, until)),
        lapsed=tuple(_line(u, codes) for u in _lapsed(session, since, until)),
    )
