"""Reading a reply that is not in the strict form: the kind first in any spelling or not at all,
parts in any order, threats and times anywhere, in prose.

Threats come from parts that hold only threats ("firearms", "OIC and MSHT") when there are any,
else from every threat named in the text. The time is a part that holds only a time, else the
first time in the text (for a demand: a time after "by", "before" or "until", its due time).
Only the first `READ_LIMIT` characters are read: a longer reply is refused as too long (its
summary could not be kept under MAX_SUMMARY), which keeps the time on 40 000 characters low.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from config.files import Threat
from meeting import answers
from meeting.classification import handling_marking
from meeting.inference import KindGuess, guess_kind, instant
from meeting.labels import MAX_SUMMARY
from meeting.parsing import ParsedUpdate, UpdateKind, label_problem
from meeting.parts import Parts, read_parts
from meeting.reading_types import Ambiguous, Draft, Readable, Reading, Unreadable
from meeting.threats import threat_mentions
from meeting.timeparse import WhenClock, WhenProblem
from meeting.timescan import TimeMention, find_times
from meeting.wording import Head, Signals, kind_signals, read_head

READ_LIMIT = 2 * MAX_SUMMARY


@dataclass(frozen=True)
class Context:
    """What a reply is read against."""

    clock: WhenClock
    threats: tuple[Threat, ...]
    body_codes: frozenset[str] | None


@dataclass(frozen=True)
class Understood:
    """Everything read from a reply before the kind is settled."""

    head: Head
    parts: Parts
    threats: tuple[str, ...]
    when: TimeMention | None  # the time of an event or plan
    due: TimeMention | None  # the due time of a demand
    signals: Signals
    length: int  # of the whole reply, of which READ_LIMIT characters were read
    marking: str  # OFFICIAL or OFFICIAL-SENSITIVE


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with threat names and times blanked, so "organised" or "fired" in a threat's
    name does not count as wording."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def understand(text: str, context: Context) -> Understood:
    """Read the head, the parts, the threats, the times and the wording of a reply."""
    head = read_head(text[:READ_LIMIT], context.body_codes)
    rest = head.rest
    mentions = find_times(rest)
    parts = read_parts(rest, mentions, context.threats)
    named = threat_mentions(rest, context.threats)
    codes = set(parts.threats) or {code for _, _, code in named}
    threats = tuple(t.code for t in context.threats if t.code in codes)  # as the strict form
    spans = [(m.start, m.end) for m in mentions] + [(start, end) for start, end, _ in named]
    when = parts.when or next((m for m in mentions if not m.deadline), None)
    due = parts.when or next((m for m in mentions if m.deadline), None)
    signals = kind_signals(_masked(rest, spans))
    marking = handling_marking(text)
    return Understood(head, parts, threats, when, due, signals, len(text), marking)


def _mention(understood: Understood, kind: UpdateKind | None) -> TimeMention | None:
    return understood.due if kind is UpdateKind.DEMAND else understood.when


def _time_problems(
    understood: Understood, kind: UpdateKind | None, at: datetime | WhenProblem | None
) -> list[tuple[str, str]]:
    mention = _mention(understood, kind)
    if isinstance(at, WhenProblem) and mention is not None:
        fragment = answers.quote(understood.head.rest[mention.start : mention.end])
        return [(at.code, f"I could not read the time {fragment}: {at.message}")]
    if kind is UpdateKind.DEMAND or mention is not None:
        return []
    return [("missing_time", "")]


def _field_problems(
    understood: Understood, kind: UpdateKind | None, codes: frozenset[str] | None
) -> list[tuple[str, str]]:
    parts, found, problems = understood.parts, dict[str, str](), []
    if parts.repeated:
        problems.append((f"bad_{parts.repeated}", f"`{parts.repeated}` is given twice"))
    for label, value in parts.labelled.items():
        problem = label_problem(kind or UpdateKind.EVENT, label, value, found, codes)
        if problem is not None:
            problems.append((f"bad_{label}", problem))
    return problems


def _problems(
    understood: Understood, kind: UpdateKind | None, at: datetime | WhenProblem | None,
    context: Context,
) -> list[tuple[str, str]]:  # fmt: skip
    """(code, words) for everything that stops the update being recorded, worst first."""
    problems = _time_problems(understood, kind, at)
    if understood.parts.unknown_threat is not None:
        unknown = answers.quote(understood.parts.unknown_threat)
        problems.append(("unknown_threat", f"{unknown} is not a threat I know"))
    elif not understood.threats:
        problems.append(("missing_threat", ""))
    summary = understood.parts.summary
    if not summary:
        problems.append(("missing_summary", ""))
    elif len(summary) > MAX_SUMMARY or understood.length > READ_LIMIT:
        size = max(len(summary), understood.length)
        problems.append((
            "summary_too_long",
            f"it has {size} characters; keep the summary under {MAX_SUMMARY} and give the "
            "detail on the call",
        ))  # fmt: skip
    return problems + _field_problems(understood, kind, context.body_codes)


def draft(understood: Understood, kind: UpdateKind | None, at: object) -> Draft:
    """What was understood, for the form."""
    return Draft(
        kind,
        understood.threats,
        at if isinstance(at, datetime) else None,
        understood.parts.summary[:MAX_SUMMARY],
        understood.parts.labelled.get("location"),
        understood.head.body_code,
    )


def _notes(
    kind: UpdateKind, guess: KindGuess | None, at: datetime | None, understood: Understood,
    context: Context,
) -> tuple[str, ...]:  # fmt: skip
    """What the confirmation should say about how the kind and the time were read."""
    notes = [answers.inferred_note(kind, guess.why)] if guess is not None else []
    mention = _mention(understood, kind)
    if mention is not None and mention.approximate and at is not None:
        notes.append(answers.approximate_note(mention.approximate, at, context.clock.zone))
    return tuple(notes)


def one_reading(
    understood: Understood, kind: UpdateKind | None, guess: KindGuess | None, context: Context
) -> Readable | Unreadable:  # a kind of None is always Unreadable
    """The update of one kind (None: unknown), or what stops it being recorded."""
    at = instant(kind, _mention(understood, kind), context.clock) if kind else None
    problems = _problems(understood, kind, at, context)
    if problems or kind is None or isinstance(at, WhenProblem):
        problems = problems or [("missing_time", "")]
        words = [text or answers.missing(code, kind, context.threats) for code, text in problems]
        message = answers.problem_message(kind, words)
        return Unreadable(problems[0][0], message, draft(understood, kind, at))
    update = ParsedUpdate(
        kind, understood.threats, at, understood.parts.summary,
        understood.marking, understood.head.body_code,
        understood.parts.labelled.get("location"), _respond(understood, kind),
    )  # fmt: skip
    return Readable(update, guess is not None, _notes(kind, guess, at, understood, context))


def _respond(understood: Understood, kind: UpdateKind) -> str | None:
    code = understood.parts.labelled.get("respond")
    return code.upper() if code and kind is UpdateKind.DEMAND else None


def _nothing_read(understood: Understood) -> bool:
    signals = understood.signals
    return not (
        understood.threats or understood.when or understood.due or understood.head.kind
        or signals.demand or signals.plan or signals.event or signals.plan_noun
        or signals.event_noun or understood.parts.unknown_threat
    )  # fmt: skip


def _choose(understood: Understood, guess: KindGuess, context: Context) -> Reading:
    """Both readings when both can be recorded; one if the other only lacks a time."""
    readings = [one_reading(understood, kind, guess, context) for kind in guess.kinds]
    readable = [r for r in readings if isinstance(r, Readable)]
    failures = [r for r in readings if isinstance(r, Unreadable)]
    if not failures:
        choices = tuple(r.update for r in readable)
        return Ambiguous(choices, answers.ambiguous_message(choices, context.clock.zone))
    if readable and all(f.code == "missing_time" for f in failures):
        return readable[0]
    undecided = one_reading(understood, None, None, context)
    if isinstance(undecided, Unreadable) and undecided.code != "missing_time":
        return undecided  # what is missing whichever the kind, e.g. the threat
    return failures[0]


def read_tolerantly(text: str, context: Context) -> Reading:
    """Read a reply in any of the forms people use; never raises."""
    understood = understand(text, context)
    if understood.head.kind is not None:
        return one_reading(understood, understood.head.kind, None, context)
    if _nothing_read(understood):
        return Unreadable("not_an_update", answers.NOT_AN_UPDATE, draft(understood, None, None))
    guess = guess_kind(understood.signals, understood.when, understood.due, context.clock)
    if len(guess.kinds) > 1:
        return _choose(understood, guess, context)
    kind = guess.kinds[0] if guess.kinds else None
    return one_reading(understood, kind, guess if kind else None, context)
