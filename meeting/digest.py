"""The chair's digest of a briefing: demands first, events by threat, plans in time order.

Items touching more than one threat are cross-cutting: silo working misses them, so they are
flagged. Events sit under their highest-placed threat (national priority threats first).
The running order (meeting/running_order.py) is built from the same pieces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config.files import Threat
from meeting.demands import OpenDemand, lapsed_in
from meeting.update_view import UpdateView, load_update_views
from storage.models import Briefing, DigestMessage, Update


@dataclass(frozen=True)
class ThreatGroup:
    """The events filed under one threat."""

    code: str
    name: str
    priority: bool
    items: tuple[UpdateView, ...]


@dataclass(frozen=True)
class Digest:
    """Everything the digest of one briefing shows."""

    briefing_id: int
    meeting_date: date
    demands: tuple[UpdateView, ...]
    events: tuple[ThreatGroup, ...]
    plans: tuple[UpdateView, ...]
    counts: tuple[tuple[str, int], ...]
    lapsed: tuple[OpenDemand, ...] = ()  # carried demands that lapsed at this close

    @property
    def items(self) -> tuple[UpdateView, ...]:
        """Every item of the digest."""
        return (*self.demands, *self.plans, *(i for g in self.events for i in g.items))

    @property
    def total(self) -> int:
        """How many updates the digest holds."""
        return len(self.items)

    @property
    def cross_cutting(self) -> int:
        """How many items touch more than one threat."""
        return sum(1 for item in self.items if item.cross_cutting)

    @property
    def late(self) -> int:
        """How many items arrived after the briefing closed."""
        return sum(1 for item in self.items if item.late)

    @property
    def after_order(self) -> int:
        """How many items arrived after the running order was posted."""
        return sum(1 for item in self.items if item.after_order)


def _groups(events: list[UpdateView], threats: tuple[Threat, ...]) -> tuple[ThreatGroup, ...]:
    by_code: dict[str, list[UpdateView]] = {}
    for item in events:
        by_code.setdefault(item.threats[0] if item.threats else "", []).append(item)
    groups = [
        ThreatGroup(t.code, t.name, t.priority, tuple(by_code.pop(t.code)))
        for t in threats
        if t.code in by_code
    ]
    for code, items in sorted(by_code.items()):  # threats no longer configured
        groups.append(ThreatGroup(code or "OTHER", code or "No threat given", False, tuple(items)))
    return tuple(groups)


def _demand_order(item: UpdateView) -> tuple[int, float, int]:
    due = item.due_at.timestamp() if item.due_at else float("inf")
    return (0 if item.demand_status == "open" else 1, due, item.update_id)


def _by_time(item: UpdateView) -> tuple[float, int]:
    return (item.occurs_at.timestamp() if item.occurs_at else float("inf"), item.update_id)


def briefing_items(
    *, session: Session, briefing: Briefing, threats: tuple[Threat, ...]
) -> list[UpdateView]:
    """A briefing's active updates, their threats in the configured order, as they were stored."""
    where = [col(Update.briefing_id) == briefing.id, col(Update.status) == "active"]
    return load_update_views(session=session, where=where, threats=threats)


@dataclass(frozen=True)
class Sorted:
    """Items sorted as the digest and the running order list them."""

    demands: tuple[UpdateView, ...]
    events: tuple[ThreatGroup, ...]
    plans: tuple[UpdateView, ...]


def sort_items(items: list[UpdateView], threats: tuple[Threat, ...]) -> Sorted:
    """Demands open first then by due time; events grouped by threat, each in time order;
    plans in time order."""
    events = sorted((i for i in items if i.kind == "event"), key=_by_time)
    plans = sorted((i for i in items if i.kind == "plan"), key=_by_time)
    demands = sorted((i for i in items if i.kind == "demand"), key=_demand_order)
    return Sorted(tuple(demands), _groups(events, threats), tuple(plans))


def build_digest(*, session: Session, briefing: Briefing, threats: tuple[Threat, ...]) -> Digest:
    """The digest of a briefing's active updates, and the demands that lapsed at its close."""
    assert briefing.id is not None
    items = briefing_items(session=session, briefing=briefing, threats=threats)
    ordered = sort_items(items, threats)
    counts = Counter(i.body_code for i in items)
    return Digest(
        briefing_id=briefing.id,
        meeting_date=briefing.meeting_date,
        demands=ordered.demands,
        events=ordered.events,
        plans=ordered.plans,
        counts=tuple(sorted(counts.items())),
        lapsed=tuple(lapsed_in(session=session, briefing_id=briefing.id)),
    )


def digest_messages(*, session: Session, briefing_id: int) -> dict[int, DigestMessage]:
    """The posted (or claimed) messages of a briefing's digest, by part number."""
    query = select(DigestMessage).where(DigestMessage.briefing_id == briefing_id)
    return {row.part: row for row in session.exec(query)}


def claim_part(
    *, session: Session, briefing_id: int, part: int, now: datetime
) -> DigestMessage | None:
    """Claim the posting of one digest part (unique per briefing and part); None if taken."""
    row = DigestMessage(briefing_id=briefing_id, part=part, posted_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def record_part(*, session: Session, row: DigestMessage, ts: str | None) -> None:
    """Record the ts of a posted part, or give the claim up when posting failed."""
    if ts is None:
        session.delete(row)
    else:
        row.ts = ts
        session.add(row)
