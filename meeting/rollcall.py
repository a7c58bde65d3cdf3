"""The roll call in numbers, as the header, /dbm status and the running order give it.

Every body invited on the meeting date is counted once, in exactly one of: checked in
(present, or present with nothing to report), apologies, absent (a chair's record, or the close),
or to go (no answer yet). So checked in + apologies + absent + to go = invited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from meeting.attendance import RollCall, State, roll_call
from meeting.members import members_of
from storage.models import Briefing


@dataclass(frozen=True)
class RollCallCounts:
    """How the invited bodies stand at a briefing."""

    invited: int
    present: int = 0
    nil: int = 0
    apologies: int = 0
    absent: int = 0

    @property
    def checked_in(self) -> int:
        """Bodies present, with or without something to report."""
        return self.present + self.nil

    @property
    def to_go(self) -> int:
        """Invited bodies with no answer yet."""
        return self.invited - self.checked_in - self.apologies - self.absent


def tally(call: RollCall) -> RollCallCounts:
    """The counts of a roll call."""
    states = [state for _, state in call.checked_in]
    return RollCallCounts(
        invited=len(call.checked_in) + len(call.missing),
        present=states.count(State.PRESENT),
        nil=states.count(State.NIL),
        apologies=states.count(State.APOLOGIES),
        absent=states.count(State.ABSENT),
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

    counts: RollCallCounts
    to_chase: tuple[BodyLine, ...]
    answered: tuple[tuple[BodyLine, State], ...]


def roll_call_view(*, session: Session, briefing: Briefing) -> RollCallView:
    """The roll call of a briefing, with the current members of each body yet to answer."""
    call = roll_call(session=session, briefing=briefing)
    people = members_of(session=session, body_ids=[b.id for b in call.missing if b.id])
    chase = tuple(BodyLine(b.code, b.name, tuple(people.get(b.id or 0, []))) for b in call.missing)
    answered = tuple((BodyLine(b.code, b.name), state) for b, state in call.checked_in)
    return RollCallView(tally(call), chase, answered)
