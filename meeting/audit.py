"""The audit log: who did what, when, with the record before and after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditEntry


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, default=str, sort_keys=True)


def record(
    *,
    session: Session,
    now: datetime,
    actor: str,
    action: str,
    subject: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (committed with the change it records)."""
    entry = AuditEntry(
        at=now,
        actor=actor,
        action=action,
        subject=subject,
        before=_dump(before),
        after=_dump(after),
    )
    session.add(entry)
    return entry


def entries_since(*, session: Session, since: datetime) -> list[AuditEntry]:
    """Audit entries at or after an instant, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.at >= since)
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    return list(session.exec(query))
