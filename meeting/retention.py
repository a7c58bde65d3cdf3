"""Information hygiene: update text is kept only for a while; the record that it existed stays."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, or_, select

from meeting.record_canvases import canvases_due
from storage.models import AuditEntry, Intake, Update

# Fields of an update's audited snapshot that hold what people wrote.
TEXT_FIELDS = ("summary", "location")

# Requests whose work is done are kept a few days (Slack retries for about an hour, and the
# thread is read again while the day's briefing is open), then go: they hold what people wrote.
# Requests whose work has not finished are never purged.
REQUEST_DAYS = 3


@dataclass(frozen=True)
class PurgePlan:
    """What a purge removes: update ids whose text goes, how many stored Slack requests are
    dropped, and the canvases of the day's record made before the cut-off (deleted through Slack
    by the bot)."""

    update_ids: tuple[int, ...]
    audit_ids: tuple[int, ...]
    requests: int
    text_before: datetime
    requests_before: datetime
    canvas_ids: tuple[str, ...] = ()


def text_cutoff(now: datetime, retention_days: int) -> datetime:
    """Updates created before this instant lose their text."""
    return now - timedelta(days=retention_days)


def plan_purge(*, session: Session, now: datetime, retention_days: int) -> PurgePlan:
    """What a purge at `now` would remove (changes nothing)."""
    text_before = text_cutoff(now, retention_days)
    requests_before = now - timedelta(days=REQUEST_DAYS)
    query = (
        select(Update.id)
        .where(col(Update.created_at) < text_before, col(Update.text_purged_at).is_(None))
        .where(or_(col(Update.summary).is_not(None), col(Update.location).is_not(None)))
        .order_by(col(Update.id))
    )
    ids = tuple(i for i in session.exec(query) if i is not None)
    requests = session.exec(select(Intake.key).where(_old_request(requests_before))).all()
    audits = tuple(entry.id for entry in _old_audit_text(session, text_before) if entry.id)
    due = canvases_due(session=session, before=text_before)
    canvases = tuple(c.canvas_id for c in due if c.canvas_id)
    return PurgePlan(ids, audits, len(requests), text_before, requests_before, canvases)


def _old_request(before: datetime) -> Any:
    return col(Intake.done_at).is_not(None) & (col(Intake.received_at) < before)


def _has_text(raw: str | None) -> bool:
    data = json.loads(raw) if raw else None
    return isinstance(data, dict) and any(data.get(field) for field in TEXT_FIELDS)


def _old_audit_text(session: Session, before: datetime) -> list[AuditEntry]:
    """Audit entries about updates, older than the cut-off, that still quote their text."""
    query = (
        select(AuditEntry)
        .where(col(AuditEntry.at) < before, col(AuditEntry.subject).startswith("update:"))
        .order_by(col(AuditEntry.id))
    )
    return [e for e in session.exec(query) if _has_text(e.before) or _has_text(e.after)]


def _scrub(raw: str | None) -> str | None:
    data: Any = json.loads(raw) if raw else None
    if not isinstance(data, dict):
        return raw
    for field in TEXT_FIELDS:
        if data.get(field):
            data[field] = None
            data["text_purged"] = True
    return json.dumps(data, sort_keys=True)


def purge(*, session: Session, now: datetime, retention_days: int) -> PurgePlan:
    """Remove old update text (rows, attendance and counts stay) and old stored requests;
    idempotent."""
    plan = plan_purge(session=session, now=now, retention_days=retention_days)
    if plan.update_ids:
        session.execute(
            update(Update)
            .where(col(Update.id).in_(plan.update_ids), col(Update.text_purged_at).is_(None))
            .values(summary=None, location=None, text_purged_at=now)
        )
    for entry in _old_audit_text(session, plan.text_before):
        entry.before, entry.after = _scrub(entry.before), _scrub(entry.after)
        session.add(entry)
    session.execute(delete(Intake).where(_old_request(plan.requests_before)))
    session.flush()
    return plan
