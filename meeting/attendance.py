"""Attendance: one roll-call record per body per briefing; a later record replaces it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, select

from meeting.audit import record
from storage.models import Attendance


class State(StrEnum):
    """A body's roll-call state at a briefing."""

    PRESENT = "present"
    NIL = "nil"
    APOLOGIES = "apologies"
    ABSENT = "absent"


def get_attendance(*, session: Session, briefing_id: int, body_id: int) -> Attendance | None:
    """The record of a body at a briefing, if any."""
    query = select(Attendance).where(
        Attendance.briefing_id == briefing_id, Attendance.body_id == body_id
    )
    return session.exec(query).first()


def record_attendance(
    *,
    session: Session,
    briefing_id: int,
    body_id: int,
    state: State,
    source: str,
    actor: str,
    now: datetime,
) -> Attendance:
    """Set a body's state at a briefing (idempotent; a change is audited)."""
    existing = get_attendance(session=session, briefing_id=briefing_id, body_id=body_id)
    if existing is not None and existing.state == state:
        return existing
    before = None if existing is None else {"state": existing.state, "by": existing.recorded_by}
    row = existing or Attendance(
        briefing_id=briefing_id,
        body_id=body_id,
        state=state,
        source=source,
        recorded_by=actor,
        recorded_at=now,
    )
    row.state, row.source, row.recorded_by, row.recorded_at = state, source, actor, now
    session.add(row)
    record(
        session=session,
        now=now,
        actor=actor,
        action="attendance.set",
        subject=f"briefing:{briefing_id}:body:{body_id}",
        before=before,
        after={"state": state.value, "source": source},
    )
    session.flush()
    return row


def mark_present_from_update(
    *, session: Session, briefing_id: int, body_id: int, actor: str, now: datetime
) -> Attendance:
    """Posting an update marks the body present, unless it already checked in."""
    existing = get_attendance(session=session, briefing_id=briefing_id, body_id=body_id)
    if existing is not None and existing.state in (State.PRESENT, State.NIL):
        return existing
    return record_attendance(
        session=session,
        briefing_id=briefing_id,
        body_id=body_id,
        state=State.PRESENT,
        source="update",
        actor=actor,
        now=now,
    )
