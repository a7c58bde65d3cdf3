"""Renewing urgent demands: each briefing asks, an unanswered demand lapses, a chair reopens.

A demand goes unrenewed from its raiser's last *Still needed* (or from when it was raised).
It lapses at the close of the `lapse_after`-th briefing held since then: briefings, not days,
so a long weekend or a bank holiday never lapses a demand its raiser was not asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from meeting.demands import DemandStatus, OpenDemand, carried_demands, open_demands
from meeting.updates import audit_update, snapshot
from meeting.viewers import Viewer, may_change_as
from storage.models import Briefing, Member, Update


def recent_openings(*, session: Session, briefing: Briefing, count: int) -> list[datetime]:
    """When the last `count` briefings of the channel up to this one opened, newest first."""
    query = (
        select(Briefing.opened_at)
        .where(Briefing.channel_id == briefing.channel_id)
        .where(Briefing.meeting_date <= briefing.meeting_date)
        .where(col(Briefing.opened_at).is_not(None))
        .order_by(col(Briefing.meeting_date).desc())
        .limit(count)
    )
    return [at for at in session.exec(query) if at is not None]


def unrenewed(demand: OpenDemand, openings: Sequence[datetime]) -> int:
    """How many of these briefings opened after the demand was last renewed (or raised)."""
    anchor = demand.anchor
    return sum(1 for opened in openings if anchor is None or opened > anchor)


def raisers(*, session: Session, demands: Sequence[OpenDemand]) -> dict[int, tuple[str, ...]]:
    """Who speaks for each demand's raiser, by demand id: its author, unless the author has
    left the body; then the body's current members."""
    body_ids = {d.body_id for d in demands}
    rows = session.exec(select(Member).where(col(Member.body_id).in_(body_ids)))
    known: dict[tuple[int, str], bool] = {}
    current: dict[int, list[str]] = {}
    for member in sorted(rows, key=lambda m: m.slack_user_id):
        here = member.removed_at is None
        known[(member.body_id, member.slack_user_id)] = here
        if here:
            current.setdefault(member.body_id, []).append(member.slack_user_id)
    people: dict[int, tuple[str, ...]] = {}
    for demand in demands:
        left = known.get((demand.body_id, demand.author_id)) is False
        people[demand.id] = tuple(current.get(demand.body_id, [])) if left else (demand.author_id,)
    return people


@dataclass(frozen=True)
class RenewalPrompt:
    """A carried demand to ask about privately, who to ask, and how long it has left.

    `remaining` is how many more briefings may close without an answer before it lapses:
    0 means it lapses when this briefing closes.
    """

    demand: OpenDemand
    ask: tuple[str, ...]
    remaining: int


def renewal_prompts(
    *, session: Session, briefing: Briefing, lapse_after: int
) -> list[RenewalPrompt]:
    """The questions to send when a briefing opens: each demand carried into it that has not
    been renewed since it opened, oldest first. Call it once the briefing is open (it counts)."""
    assert briefing.id is not None and briefing.opened_at is not None, "open the briefing first"
    demands = carried_demands(session=session, briefing_id=briefing.id)
    openings = recent_openings(session=session, briefing=briefing, count=lapse_after)
    asking = [d for d in demands if unrenewed(d, openings) > 0]
    people = raisers(session=session, demands=asking)
    return [
        RenewalPrompt(d, people[d.id], max(0, lapse_after - unrenewed(d, openings))) for d in asking
    ]


@dataclass(frozen=True)
class Lapse:
    """A demand that lapsed, and the people to tell."""

    demand: OpenDemand
    tell: tuple[str, ...]


def lapse_demands(
    *, session: Session, briefing: Briefing, lapse_after: int, now: datetime, actor: str
) -> list[Lapse]:
    """At a briefing's close: lapse every open demand left unrenewed through the last
    `lapse_after` briefings (this one included); audited, idempotent. What lapsed."""
    assert briefing.id is not None
    openings = recent_openings(session=session, briefing=briefing, count=lapse_after)
    if len(openings) < lapse_after:
        return []
    due = [
        d
        for d in open_demands(session=session, today=briefing.meeting_date)
        if unrenewed(d, openings) >= lapse_after
    ]
    for demand in due:
        update = session.get(Update, demand.id)
        assert update is not None
        before = snapshot(update)
        update.demand_status = DemandStatus.LAPSED.value
        update.demand_closed_at, update.demand_closed_by = now, actor
        update.demand_lapsed_in, update.updated_at = briefing.id, now
        session.add(update)
        session.flush()
        audit_update(session, update, "demand.lapsed", actor, now, before)
    people = raisers(session=session, demands=due)
    return [Lapse(d, people[d.id]) for d in due]


class Renewed(StrEnum):
    """What a *Still needed* (or a chair's reopening) did, or why it did nothing."""

    RENEWED = "renewed"
    REOPENED = "reopened"
    ALREADY = "already"  # renewed in this briefing already: nothing changed
    NOT_OPEN = "not_open"  # met, withdrawn or lapsed: see the demand's status
    NOT_ALLOWED = "not_allowed"
    GONE = "gone"


@dataclass(frozen=True)
class Renewal:
    """The outcome of renewing or reopening, with the demand's status where it exists."""

    outcome: Renewed
    status: str | None = None


def _demand_row(session: Session, update_id: int) -> Update | None:
    update = session.get(Update, update_id)
    if update is None or update.kind != "demand" or update.status != "active":
        return None
    return update


def _renew(
    session: Session,
    update: Update,
    briefing_id: int | None,
    action: str,
    actor: str,
    now: datetime,
) -> None:
    """Open (again) and renewed now, in `briefing_id`; audited."""
    before = snapshot(update)
    update.demand_status = DemandStatus.OPEN.value
    update.demand_closed_at, update.demand_closed_by = None, None
    update.demand_renewed_at, update.demand_renewed_in = now, briefing_id
    update.updated_at = now
    session.add(update)
    session.flush()
    audit_update(session, update, action, actor, now, before)


def renew_demand(
    *, session: Session, update_id: int, briefing_id: int | None, viewer: Viewer, now: datetime
) -> Renewal:
    """Record the raiser's *Still needed* in a briefing (audited); one per briefing."""
    update = _demand_row(session, update_id)
    if update is None:
        return Renewal(Renewed.GONE)
    if not may_change_as(viewer, author_id=update.author_id, body_id=update.body_id):
        return Renewal(Renewed.NOT_ALLOWED, update.demand_status)
    if update.demand_status != DemandStatus.OPEN:
        return Renewal(Renewed.NOT_OPEN, update.demand_status)
    if briefing_id is not None and update.demand_renewed_in == briefing_id:
        return Renewal(Renewed.ALREADY, update.demand_status)
    _renew(session, update, briefing_id, "demand.renewed", viewer.user_id, now)
    return Renewal(Renewed.RENEWED, update.demand_status)


def reopen_demand(
    *, session: Session, update_id: int, briefing_id: int | None, viewer: Viewer, now: datetime
) -> Renewal:
    """A chair reopens a lapsed demand (audited): open again, counted as renewed now."""
    update = _demand_row(session, update_id)
    if update is None:
        return Renewal(Renewed.GONE)
    if not viewer.is_chair:
        return Renewal(Renewed.NOT_ALLOWED, update.demand_status)
    if update.demand_status != DemandStatus.LAPSED:
        return Renewal(Renewed.NOT_OPEN, update.demand_status)
    _renew(session, update, briefing_id, "demand.reopened", viewer.user_id, now)
    return Renewal(Renewed.REOPENED, update.demand_status)
