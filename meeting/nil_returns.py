"""Nil returns written in the thread ("Nothing to report", "Nil from BTP"): the body is present
with nothing to report, as if it had pressed the header's button, unless it has already reported
something at this briefing (then it stays present: its updates are not nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, select

from meeting.attendance import State, get_attendance, record_attendance
from storage.models import Body, Briefing, Update

_ACTIVE = select(Update.id).where(
    Update.briefing_id == bindparam("briefing"),
    Update.body_id == bindparam("body"),
    Update.status == "active",
)


@dataclass(frozen=True)
class NilAnswer:
    """A body's state after a nil return: nil, or present because it has updates here."""

    body: Body
    state: State
    before: State | None


def has_updates(*, session: Session, briefing_id: int, body_id: int) -> bool:
    """Whether a body has an active update at a briefing."""
    found = session.exec(_ACTIVE, params={"briefing": briefing_id, "body": body_id})
    return found.first() is not None


def record_nil_return(
    *, session: Session, briefing: Briefing, bodies: Sequence[Body], actor: str, now: datetime
) -> list[NilAnswer]:
    """Record each body present with nothing to report (idempotent, audited as a change)."""
    assert briefing.id is not None
    answers: list[NilAnswer] = []
    for body in bodies:
        assert body.id is not None
        row = get_attendance(session=session, briefing_id=briefing.id, body_id=body.id)
        before = None if row is None else State(row.state)
        if has_updates(session=session, briefing_id=briefing.id, body_id=body.id):
            answers.append(NilAnswer(body, before or State.PRESENT, before))
            continue
        record_attendance(
            session=session, briefing_id=briefing.id, body_id=body.id, state=State.NIL,
            source="reply", actor=actor, now=now,
        )  # fmt: skip
        answers.append(NilAnswer(body, State.NIL, before))
    return answers
