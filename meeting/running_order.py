"""The running order of the call: what the chair takes, in order, built from the digest's pieces.

Urgent demands raised today (still open), then demands carried from earlier briefings, then
significant events under the national priority threats, then the other events, then plans for
the next 72 hours, then the bodies that checked in with nothing to report, then those not yet
checked in (and last, those that sent apologies, so no one calls on them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from config.files import Threat
from meeting.attendance import State
from meeting.audit import record
from meeting.demands import OpenDemand, carried_demands
from meeting.digest import ThreatGroup, briefing_items, sort_items
from meeting.rollcall import BodyLine, roll_call_view
from meeting.update_view import UpdateView
from meeting.week import Tally
from storage.models import Briefing


@dataclass(frozen=True)
class RunningOrder:
    """The running order of a briefing's call."""

    briefing_id: int
    meeting_date: date
    new_demands: tuple[UpdateView, ...]
    carried: tuple[OpenDemand, ...]
    priority_events: tuple[ThreatGroup, ...]
    other_events: tuple[ThreatGroup, ...]
    plans: tuple[UpdateView, ...]
    nothing_to_report: tuple[BodyLine, ...]
    not_checked_in: tuple[BodyLine, ...]
    apologies: tuple[BodyLine, ...]
    counts: Tally

    @property
    def items(self) -> int:
        """How many updates and carried demands the order takes."""
        events = sum(len(g.items) for g in (*self.priority_events, *self.other_events))
        return len(self.new_demands) + len(self.carried) + events + len(self.plans)


def build_running_order(
    *, session: Session, briefing: Briefing, threats: tuple[Threat, ...]
) -> RunningOrder:
    """The running order of a briefing as it stands now."""
    assert briefing.id is not None
    items = briefing_items(session=session, briefing=briefing, threats=threats)
    ordered = sort_items(items, threats)
    roll = roll_call_view(session=session, briefing=briefing)
    reporting = {item.body_code for item in items}
    return RunningOrder(
        briefing_id=briefing.id,
        meeting_date=briefing.meeting_date,
        new_demands=tuple(d for d in ordered.demands if d.demand_status == "open"),
        carried=tuple(carried_demands(session=session, briefing_id=briefing.id)),
        priority_events=tuple(g for g in ordered.events if g.priority),
        other_events=tuple(g for g in ordered.events if not g.priority),
        plans=ordered.plans,
        nothing_to_report=tuple(
            body
            for body, state in roll.answered
            if state in (State.PRESENT, State.NIL) and body.code not in reporting
        ),
        not_checked_in=roll.to_chase,
        apologies=tuple(body for body, state in roll.answered if state is State.APOLOGIES),
        counts=roll.counts,
    )


def record_running_order(
    *, session: Session, briefing: Briefing, actor: str, now: datetime
) -> None:
    """Record that the running order was posted (again) now: the digest marks updates stored
    after it "after the running order". Call it once the post succeeded."""
    before = briefing.running_order_at
    briefing.running_order_at = now
    session.add(briefing)
    session.flush()
    record(
        session=session,
        now=now,
        actor=actor,
        action="briefing.running_order",
        subject=f"briefing:{briefing.id}",
        before={"running_order_at": before},
        after={"running_order_at": now},
    )
