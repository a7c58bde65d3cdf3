"""The roll call of a briefing, as the header, /dbm status and the running order give it.

Its counts are the weekly grid's (meeting.week.Tally): every body invited on the meeting date
is counted once, in exactly one of present, nil (present, nothing to report), apologies, absent
(a chair's record, or the close) and not recorded (no answer yet, "to go"). So `attended`
(checked in) + apologies + absent + not recorded = `meetings` (the bodies invited).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from meeting.attendance import RollCall, State, roll_call
from meeting.members import members_of
from meeting.week import Tally
from storage.models import Briefing


def tally_roll_call(call: RollCall) -> Tally:
    """The counts of a roll call (a body without an answer yet is `not_recorded`)."""
    states = [state for _, state in call.checked_in]
    return Tally(
        present=states.count(State.PRESENT),
        nil=states.count(State.NIL),
        apologies=states.count(State.APOLOGIES),
        absent=states.count(State.ABSENT),
        not_recorded=len(call.missing),
    )


@dataclass(frozen=True)
class BodyLine:
    """A body as a list names it, with the people who speak for it (Slack user ids)."""

    code: str
    name: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class RollCallView:
    """The roll call of a briefing: counts, who to chase (with their people), who answered."""

    counts: Tally
    to_chase: tuple[BodyLine, ...]
    answered: tuple[tuple[BodyLine, State], ...]


def roll_call_view(*, session: Session, briefing: Briefing) -> RollCallView:
    """The roll call of a briefing, with the current members of each body yet to answer."""
    call = roll_call(session=session, briefing=briefing)
    people = members_of(session=session, body_ids=[b.id for b in call.missing if b.id])
    chase = tuple(BodyLine(b.code, b.name, tuple(people.get(b.id or 0, []))) for b in call.missing)
    answered = tuple((BodyLine(b.code, b.name), state) for b, state in call.checked_in)
    return RollCallView(tally_roll_call(call), chase, answered)
