"""Urgent demands: open ones are carried into each briefing header until closed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from meeting.audit import record
from meeting.updates import snapshot
from storage.models import Body, Update


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


class OpenDemand(NamedTuple):
    """What a briefing header shows of an open urgent demand."""

    id: int
    body_code: str
    summary: str
    due_at: datetime | None


_OPEN_LINES = (
    select(col(Update.id), col(Body.code), col(Update.summary), col(Update.due_at))
    .join(Body, col(Body.id) == col(Update.body_id))
    .where(Update.kind == "demand", Update.status == "active", Update.demand_status == "open")
    .where(Update.briefing_id != bindparam("briefing"))
    .order_by(col(Update.created_at))
)


def carried_demands(*, session: Session, briefing_id: int) -> list[OpenDemand]:
    """The urgent demands still open from earlier briefings, oldest first: what a briefing's
    header carries forward (its own demands are in its thread). Columns only."""
    session.flush()
    rows = session.connection().execute(_OPEN_LINES, {"briefing": briefing_id}).all()
    return [OpenDemand(row[0] or 0, row[1], row[2] or "", row[3]) for row in rows]


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
