"""Urgent demands: open ones are carried into each briefing header until closed."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Update


def list_open_demands(*, session: Session) -> list[Update]:
    """Active urgent demands still open, oldest first."""
    query = (
        select(Update)
        .where(Update.kind == "demand", Update.status == "active", Update.demand_status == "open")
        .order_by(col(Update.created_at))
    )
    return list(session.exec(query))
