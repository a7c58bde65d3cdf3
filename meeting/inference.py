"""Which kind an update is when the sender did not write it, and when it happens.

In order: words asking for something make it an urgent demand (a plan in the same words makes
two readings); a time with its day named decides (past: an event; future: a plan); otherwise
the wording (past tense, or "will", "planned"), then a time clearly nearer one way, then nouns
("warrants", "stabbing"). When nothing tips it, both readings are offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meeting.parsing import UpdateKind
from meeting.timeparse import Direction, WhenClock, WhenProblem
from meeting.timescan import TimeMention, leaning, pinned, resolve
from meeting.wording import Signals

_DIRECTION: dict[UpdateKind, Direction] = {
    UpdateKind.EVENT: "past",
    UpdateKind.PLAN: "future",
    UpdateKind.DEMAND: "future",
}
BOTH = (UpdateKind.EVENT, UpdateKind.PLAN)


@dataclass(frozen=True)
class KindGuess:
    """The kinds a reply may be (one, or two to choose between; none when nothing says) and
    why, in words for the confirmation."""

    kinds: tuple[UpdateKind, ...]
    why: str = ""


def _one_of(plan: bool, event: bool) -> UpdateKind | None:
    if plan != event:
        return UpdateKind.PLAN if plan else UpdateKind.EVENT
    return None


def _without_time(signals: Signals) -> KindGuess:
    kind = (
        _tense(signals)
        or _one_of(signals.future_words, signals.past_words)
        or _one_of(signals.plan_noun, signals.event_noun)
    )
    return KindGuess((kind,) if kind else (), "from its wording")


def _tense(signals: Signals) -> UpdateKind | None:
    """The kind the verbs say; where both tenses are used, the one said first."""
    if signals.plan and signals.event:
        return UpdateKind.PLAN if signals.plan_first else UpdateKind.EVENT
    return _one_of(signals.plan, signals.event)


def _floating(signals: Signals, lean: Direction | None) -> KindGuess:
    """A weekday or a bare time, which could be either way."""
    kind = _tense(signals) or _one_of(signals.future_words, signals.past_words)
    if kind is not None:
        return KindGuess((kind,), "from its wording")
    if lean is not None:
        kind = UpdateKind.EVENT if lean == "past" else UpdateKind.PLAN
        return KindGuess((kind,), "from the day and time given")
    kind = _one_of(signals.plan_noun, signals.event_noun)
    return KindGuess((kind,), "from its wording") if kind else KindGuess(BOTH)


def guess_kind(
    signals: Signals, when: TimeMention | None, deadline: TimeMention | None, clock: WhenClock
) -> KindGuess:
    """The kind of an update whose kind was not written."""
    future_day = when is not None and pinned(clock, when) and leaning(clock, when) == "future"
    if signals.demand or (deadline is not None and when is None):
        if signals.plan or (future_day and signals.plan_noun):
            return KindGuess((UpdateKind.PLAN, UpdateKind.DEMAND))
        return KindGuess((UpdateKind.DEMAND,), "because it asks for something")
    if when is None:
        return _without_time(signals)
    if pinned(clock, when):
        past = leaning(clock, when) == "past"
        kind, why = (
            (UpdateKind.EVENT, "because the time has passed")
            if past
            else (UpdateKind.PLAN, "because the time is still to come")
        )
        return KindGuess((kind,), why)
    return _floating(signals, leaning(clock, when))


def instant(
    kind: UpdateKind, mention: TimeMention | None, clock: WhenClock
) -> datetime | WhenProblem | None:
    """When an update of this kind happens, reading the time the way the kind looks."""
    if mention is None:
        return None
    return resolve(clock, mention, _DIRECTION[kind])
