"""The audit log: who did what, when, with the record before and after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, insert
from sqlmodel import Session

from storage.models import AuditEntry

# Entries are only ever added, and never read back in the session that writes them: a plain
# INSERT on the session's connection, committed with the change it records, without the ORM's
# unit of work (which cost more than the INSERT on every stored reply).
_TABLE = AuditEntry.__table__  # type: ignore[attr-defined]
_ADD: Insert = insert(_TABLE).returning(_TABLE.c.id)


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
) -> int:
    """Write an audit entry in the session's transaction (committed with the change it
    records); its id."""
    values = {
        "at": now,
        "actor": actor,
        "action": action,
        "subject": subject,
        "before": _dump(before),
        "after": _dump(after),
    }
    return int(session.connection().execute(_ADD, values).scalar_one())
