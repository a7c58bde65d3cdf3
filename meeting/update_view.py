"""An update as every surface reads it: the card, the digest and running order, the App Home and
the workbook. One loader reads the columns they need in one query (no ORM objects: a year's
workbook reads some 10,000 updates), with the codes of the body and of the body asked to respond.

What is written (meeting.updates.UpdateData) and what the reader read (meeting.parsing) are
inputs, not views of a stored update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import select as columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from config.files import Threat
from storage.models import Body, Briefing, Update


@dataclass(frozen=True, slots=True)
class UpdateView:
    """A stored update as it is shown: `after_order` when stored after its briefing's running
    order was posted; `summary` is "" where none was given."""

    update_id: int
    briefing_id: int
    body_id: int
    body_code: str
    author_id: str
    kind: str
    threats: tuple[str, ...]
    occurs_at: datetime | None
    created_at: datetime
    summary: str
    location: str | None = None
    marking: str = "OFFICIAL"
    status: str = "active"
    late: bool = False
    demand_status: str | None = None
    respond_body_code: str | None = None
    due_at: datetime | None = None
    after_order: bool = False
    text_purged_at: datetime | None = None

    @property
    def cross_cutting(self) -> bool:
        """True when the update touches more than one threat."""
        return len(self.threats) > 1


_RESPOND = aliased(Body)
# Built once: on SQLite building a query costs about as much as running it.
_VIEWS = (
    columns(
        col(Update.id),
        col(Update.briefing_id),
        col(Update.body_id),
        col(Body.code),
        col(Update.author_id),
        col(Update.kind),
        col(Update.threats),
        col(Update.occurs_at),
        col(Update.created_at),
        col(Update.summary),
        col(Update.location),
        col(Update.marking),
        col(Update.status),
        col(Update.late),
        col(Update.demand_status),
        col(_RESPOND.code),
        col(Update.due_at),
        col(Briefing.running_order_at),
        col(Update.text_purged_at),
    )
    .join(Briefing, col(Briefing.id) == col(Update.briefing_id))
    .outerjoin(Body, col(Body.id) == col(Update.body_id))
    .outerjoin(_RESPOND, col(_RESPOND.id) == col(Update.respond_body_id))
    .order_by(col(Update.created_at), col(Update.id))
)


def _ordered(codes: list[str], order: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=lambda c: (order.get(c, len(order)), c)))


def _view(row: Any, order: dict[str, int] | None) -> UpdateView:
    (update_id, briefing_id, body_id, body_code, author_id, kind, threats, occurs_at, created_at,
     summary, location, marking, status, late, demand_status, respond_code, due_at, order_at,
     purged_at) = row  # fmt: skip
    return UpdateView(
        update_id=update_id,
        briefing_id=briefing_id,
        body_id=body_id,
        body_code=body_code or "?",
        author_id=author_id,
        kind=kind,
        threats=tuple(threats or ()) if order is None else _ordered(threats or [], order),
        occurs_at=occurs_at,
        created_at=created_at,
        summary=summary or "",
        location=location,
        marking=marking,
        status=status,
        late=late,
        demand_status=demand_status,
        respond_body_code=respond_code,
        due_at=due_at,
        after_order=order_at is not None and created_at > order_at,
        text_purged_at=purged_at,
    )


def load_update_views(
    *,
    session: Session,
    where: Sequence[ColumnElement[bool]],
    threats: Sequence[Threat] | None = None,
) -> list[UpdateView]:
    """The updates matching `where`, in the order they were stored. Given `threats`, each
    update's codes are listed in their order (codes no longer configured last), else as stored."""
    order = None if threats is None else {t.code: index for index, t in enumerate(threats)}
    session.flush()
    rows = session.connection().execute(_VIEWS.where(*where)).all()
    return [_view(row, order) for row in rows]


def load_update_view(*, session: Session, update_id: int) -> UpdateView | None:
    """One update, or None if there is none with that id."""
    views = load_update_views(session=session, where=[col(Update.id) == update_id])
    return views[0] if views else None
