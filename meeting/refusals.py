"""Refusals: updates people sent that could not be recorded, kept (reason only) as evidence of
how well the guidance is understood."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from meeting.roster import speaker_bodies
from storage.inserts import insert_new
from storage.models import Refusal


def record_refusal(
    *,
    session: Session,
    key: str,
    user_id: str,
    team_id: str | None,
    source: str,
    reason: str,
    now: datetime,
) -> bool:
    """Record why an input was refused, once per input; filed under the sender's body if one."""
    bodies = speaker_bodies(session=session, user_id=user_id, team_id=team_id)
    row = Refusal(
        key=key,
        at=now,
        user_id=user_id,
        body_id=bodies[0].id if len(bodies) == 1 else None,
        source=source,
        reason=reason[:40],
    )
    return insert_new(session, row, "key") is not None
