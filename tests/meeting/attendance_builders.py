"""Rows for attendance tests, written straight to the database (no Slack involved)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import count
from zoneinfo import ZoneInfo

from sqlmodel import Session

from meeting.attendance import State, record_attendance
from meeting.roster import body_by_code
from storage.models import Body, Briefing, Update

LONDON = ZoneInfo("Europe/London")
CHANNEL = "C0DBM"
_keys = count(1)


def local(day: date, hour: int = 8, minute: int = 30) -> datetime:
    """An aware UK local instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def add_briefing(
    session: Session, day: date, *, status: str = "closed", kind: str = "scheduled"
) -> Briefing:
    """A briefing opened at 08:30 local on `day` (closed at 11:00 unless still open)."""
    opened = local(day)
    briefing = Briefing(
        channel_id=CHANNEL,
        meeting_date=day,
        status=status,
        kind=kind,
        thread_ts=f"{opened.timestamp():.6f}",
        events_from=opened,
        plans_until=opened,
        claimed_at=opened,
        claimed_by="test",
        opened_at=opened,
        opened_by="scheduler",
        closed_at=local(day, 11) if status == "closed" else None,
    )
    session.add(briefing)
    session.flush()
    return briefing


def body(session: Session, code: str) -> Body:
    """A seeded body by code."""
    found = body_by_code(session=session, code=code)
    assert found is not None and found.id is not None, code
    return found


def mark(session: Session, briefing: Briefing, code: str, state: State) -> None:
    """Record a body's state at a briefing."""
    assert briefing.id is not None
    record_attendance(
        session=session,
        briefing_id=briefing.id,
        body_id=body(session, code).id or 0,
        state=state,
        source="button",
        actor="UTEST",
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def add_update(
    session: Session, briefing: Briefing, code: str, summary: str, at: datetime, **extra: object
) -> Update:
    """An update (by default an event by UALICE) for a body at a briefing."""
    assert briefing.id is not None
    fields: dict[str, object] = {
        "dedupe_key": f"test:{next(_keys)}",
        "briefing_id": briefing.id,
        "body_id": body(session, code).id or 0,
        "author_id": "UALICE",
        "kind": "event",
        "threats": ["FIREARMS"],
        "summary": summary,
        "source": "modal",
        "channel_id": CHANNEL,
        "created_at": at,
        "updated_at": at,
    }
    update = Update(**{**fields, **extra})  # type: ignore[arg-type]
    session.add(update)
    session.flush()
    return update
