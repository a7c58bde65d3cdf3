"""Urgent demands: open ones are carried into each briefing until met, withdrawn or lapsed.

The open demands are read at every header, renewal prompt and close, so every read goes through
the index on (demand_status, created_at): it touches the open demands only, however many closed
ones five years of briefings leave behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import Select, func
from sqlalchemy import select as columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from meeting.updates import audit_update, snapshot
from meeting.viewers import Viewer, may_change_as
from storage.models import Body, Briefing, Update


class DemandStatus(StrEnum):
    """Where an urgent demand stands."""

    OPEN = "open"
    MET = "met"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


class OpenDemand(NamedTuple):
    """An urgent demand as the header, the lists, the prompts and the digest show it.

    `age_days` counts calendar days (UK dates) from the meeting date it was raised at to the day
    it is shown: what a reader means by "raised Mon 23/11, 4 days". Lapsing counts briefings
    instead (see meeting.renewal), so a weekend or a bank holiday never lapses a demand.
    The first four fields come first so older callers that unpack four still work.
    """

    id: int
    body_code: str
    summary: str
    due_at: datetime | None
    raised_at: datetime | None = None
    raised_on: date | None = None
    age_days: int = 0
    body_id: int = 0
    author_id: str = ""
    renewed_at: datetime | None = None
    threats: tuple[str, ...] = ()
    respond_body_code: str | None = None
    briefing_id: int = 0

    @property
    def anchor(self) -> datetime | None:
        """Since when the demand has gone unrenewed: its last renewal, else when raised."""
        return self.renewed_at or self.raised_at


_RESPOND = aliased(Body)
_COLUMNS = (
    col(Update.id),
    col(Body.code),
    col(Update.summary),
    col(Update.due_at),
    col(Update.created_at),
    col(Briefing.meeting_date),
    col(Update.body_id),
    col(Update.author_id),
    col(Update.demand_renewed_at),
    col(Update.threats),
    col(_RESPOND.code),
    col(Update.briefing_id),
)


def _with_status(status: DemandStatus) -> Select[*tuple[Any, ...]]:
    return (
        columns(*_COLUMNS)
        .join(Body, col(Body.id) == col(Update.body_id))
        .join(Briefing, col(Briefing.id) == col(Update.briefing_id))
        .outerjoin(_RESPOND, col(_RESPOND.id) == col(Update.respond_body_id))
        .where(col(Update.demand_status) == status.value)
        .where(col(Update.kind) == "demand", col(Update.status) == "active")
        .order_by(col(Update.created_at), col(Update.id))
    )


def _demand(row: Any, today: date | None) -> OpenDemand:
    raised_on: date = row[5]
    age = max(0, (today - raised_on).days) if today is not None else 0
    return OpenDemand(
        id=row[0] or 0,
        body_code=row[1],
        summary=row[2] or "",
        due_at=row[3],
        raised_at=row[4],
        raised_on=raised_on,
        age_days=age,
        body_id=row[6],
        author_id=row[7],
        renewed_at=row[8],
        threats=tuple(row[9] or ()),
        respond_body_code=row[10],
        briefing_id=row[11],
    )


def _read(
    session: Session, query: Select[*tuple[Any, ...]], today: date | None
) -> list[OpenDemand]:
    session.flush()
    return [_demand(row, today) for row in session.connection().execute(query).all()]


def open_demands(
    *, session: Session, today: date, limit: int | None = None, not_in: int | None = None
) -> list[OpenDemand]:
    """Open urgent demands, oldest first, aged as of `today` (optionally not those raised in
    briefing `not_in`, and at most `limit`)."""
    query = _with_status(DemandStatus.OPEN)
    if not_in is not None:
        query = query.where(col(Update.briefing_id) != not_in)
    return _read(session, query.limit(limit), today)


def count_open_demands(*, session: Session, not_in: int | None = None) -> int:
    """How many urgent demands are open (optionally not counting those raised in `not_in`)."""
    query = columns(func.count()).select_from(Update).where(col(Update.demand_status) == "open")
    query = query.where(col(Update.kind) == "demand", col(Update.status) == "active")
    if not_in is not None:
        query = query.where(col(Update.briefing_id) != not_in)
    session.flush()
    return int(session.connection().execute(query).scalar_one())


def carried_demands(
    *, session: Session, briefing_id: int, limit: int | None = None
) -> list[OpenDemand]:
    """The urgent demands still open from earlier briefings, oldest first, aged as of the
    briefing's date: what a briefing carries forward (its own demands are in its thread)."""
    briefing = session.get(Briefing, briefing_id)
    today = briefing.meeting_date if briefing is not None else None
    query = _with_status(DemandStatus.OPEN).where(col(Update.briefing_id) != briefing_id)
    return _read(session, query.limit(limit), today)


@dataclass(frozen=True)
class DemandPage:
    """The first carried demands a header lists, and how many are carried in all."""

    shown: tuple[OpenDemand, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are carried but not listed."""
        return max(0, self.total - len(self.shown))


def header_demands(*, session: Session, briefing_id: int, limit: int) -> DemandPage:
    """The carried demands of a briefing's header: the oldest `limit`, and the total."""
    shown = carried_demands(session=session, briefing_id=briefing_id, limit=limit) if limit else []
    total = count_open_demands(session=session, not_in=briefing_id)
    return DemandPage(tuple(shown), total)


def lapsed_in(*, session: Session, briefing_id: int) -> list[OpenDemand]:
    """The demands that lapsed at a briefing's close (and are still lapsed), oldest first."""
    briefing = session.get(Briefing, briefing_id)
    today = briefing.meeting_date if briefing is not None else None
    return _read(session, _lapsed_query(briefing_id), today)


def _lapsed_query(briefing_id: int) -> Select[*tuple[Any, ...]]:
    """By id, not created_at: so the read goes through the index on demand_lapsed_in (a few
    rows), not through every lapsed demand of all the years before."""
    query = _with_status(DemandStatus.LAPSED).where(col(Update.demand_lapsed_in) == briefing_id)
    return query.order_by(None).order_by(col(Update.id))


def recently_lapsed(*, session: Session, today: date, limit: int = 20) -> list[OpenDemand]:
    """The demands that lapsed (and were not reopened), newest first: what a chair may reopen."""
    query = _with_status(DemandStatus.LAPSED).order_by(None)
    query = query.order_by(col(Update.created_at).desc(), col(Update.id).desc())
    return _read(session, query.limit(limit), today)


def changeable(demands: Iterable[OpenDemand], viewer: Viewer) -> frozenset[int]:
    """The ids of the demands a viewer may renew or close: their body's, their own, or any for
    a chair (`/dbm demands` shows buttons on these only)."""
    return frozenset(
        d.id for d in demands if may_change_as(viewer, author_id=d.author_id, body_id=d.body_id)
    )


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
    audit_update(session, update, f"demand.{status.value}", actor, now, before)
    return True
