"""Urgent demands: open ones are carried into each briefing header until closed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from meeting.audit import record
from meeting.updates import snapshot
from storage.models import Update


class DemandStatus(StrEnum):
    """Where an urgent demand stands."""

    OPEN = "open"
    MET = "met"
    WITHDRAWN = "withdrawn"


def list_open_demands(*, session: Session) -> list[Update]:
    """Active urgent demands still open, oldest first."""
    query = (
        select(Update)
        .where(Update.kind == "demand", Update.status == "active", Update.demand_status == "open")
        .order_by(col(Update.created_at))
    )
    return list(session.exec(query))


def close_demand(
    *, session: Session, update: Update, status: DemandStatus, actor: str, now: datetime
) -> bool:
    """Mark an open demand met or withdrawn (audited); False if it was not open."""
    if update.kind != "demand" or update.demand_status != DemandStatus.OPEN:
        return False
    before = snapshot(update)
    update.demand_status = status.value
    update.demand_closed_at, update.demand_closed_by = now, actor
    update.updated_at = now
    session.add(update)
    session.flush()
    record(
        session=session,
        now=now,
        actor=actor,
        action=f"demand.{status.value}",
        subject=f"update:{update.id}",
        before=before,
        after=snapshot(update),
    )
    return True
