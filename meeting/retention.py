"""Information hygiene: update text is kept only for a while; the record that it existed stays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, or_, select

from storage.models import SlackEvent, Update

# Slack retries an event for about an hour; a few days of ids covers any retry with room to spare.
EVENT_ID_DAYS = 3


@dataclass(frozen=True)
class PurgePlan:
    """What a purge removes: update ids whose text goes, and how many event ids are dropped."""

    update_ids: tuple[int, ...]
    slack_events: int
    text_before: datetime
    events_before: datetime


def text_cutoff(now: datetime, retention_days: int) -> datetime:
    """Updates created before this instant lose their text."""
    return now - timedelta(days=retention_days)


def plan_purge(*, session: Session, now: datetime, retention_days: int) -> PurgePlan:
    """What a purge at `now` would remove (changes nothing)."""
    text_before = text_cutoff(now, retention_days)
    events_before = now - timedelta(days=EVENT_ID_DAYS)
    query = (
        select(Update.id)
        .where(col(Update.created_at) < text_before, col(Update.text_purged_at).is_(None))
        .where(or_(col(Update.summary).is_not(None), col(Update.location).is_not(None)))
        .order_by(col(Update.id))
    )
    ids = tuple(i for i in session.exec(query) if i is not None)
    events = session.exec(
        select(SlackEvent.event_id).where(col(SlackEvent.received_at) < events_before)
    ).all()
    return PurgePlan(ids, len(events), text_before, events_before)


def purge(*, session: Session, now: datetime, retention_days: int) -> PurgePlan:
    """Remove old update text (rows, attendance and counts stay) and old event ids; idempotent."""
    plan = plan_purge(session=session, now=now, retention_days=retention_days)
    if plan.update_ids:
        session.execute(
            update(Update)
            .where(col(Update.id).in_(plan.update_ids), col(Update.text_purged_at).is_(None))
            .values(summary=None, location=None, text_purged_at=now)
        )
    session.execute(delete(SlackEvent).where(col(SlackEvent.received_at) < plan.events_before))
    session.flush()
    return plan
