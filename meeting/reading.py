"""Reading a reply in a briefing thread: an update, a nil return, conversation to leave alone,
something to answer (saying what could not be read), or two readings to choose from.

The strict form (`EVENT | firearms | yesterday 22:40 | ...`, meeting.parsing) is read first and
exactly as before. Anything else is read tolerantly (meeting.tolerant); where the strict reader
refused a reply only because a part was out of place or missing, the tolerant reading may still
record it, and otherwise the strict reader's answer stands. SECRET and TOP SECRET markings are
refused before anything else, and their text is never kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from config.files import Threat
from meeting.classification import classification_marking, refusal_message
from meeting.parsing import ParsedUpdate, ParseRejection, UpdateKind, parse_update_text
from meeting.quiet import conversation, nil_return
from meeting.reading_types import (
    Ambiguous,
    Conversation,
    Draft,
    NilReturn,
    Readable,
    Reading,
    Unreadable,
)
from meeting.threats import threat_words, threats_in_text
from meeting.timefmt import fmt_local
from meeting.timeparse import WhenClock
from meeting.timescan import find_times, resolve
from meeting.tolerant import Context, one_reading, read_tolerantly, understand
from meeting.wording import kind_signals, mend_typos, normalise, read_head, strip_mentions

__all__ = [
    "Ambiguous",
    "Conversation",
    "Draft",
    "NilReturn",
    "Readable",
    "Reading",
    "Unreadable",
    "read_reply",
    "read_reply_as",
]

# Strict refusals a tolerant reading may overturn: a part out of place or not where expected.
_SOFT = frozenset(
    ("unknown_threat", "missing_threat", "missing_time", "no_time", "unclear_date",
     "missing_summary")
)  # fmt: skip


def _quiet(text: str, addressed: bool, context: Context) -> NilReturn | Conversation | None:
    """A nil return, or conversation that may be left alone, or None."""
    head = read_head(text, context.body_codes)
    names_threat = bool(threats_in_text(text[:2000], context.threats))
    nil = nil_return(text, context.body_codes, names_threat=names_threat)
    if nil is not None or (addressed and head.kind is None):
        return nil or Conversation("addressed")
    has_content = (
        names_threat
        or head.kind is not None
        or bool(find_times(text[:2000], limit=1))
        or kind_signals(text[:2000]).demand
    )
    return conversation(text, addressed=False, has_content=has_content)


def draft_of(reading: Reading) -> Draft | None:
    """What a reading understood, as a draft for the form."""
    if isinstance(reading, Unreadable):
        return reading.draft
    if isinstance(reading, Readable | Ambiguous):
        update = reading.update if isinstance(reading, Readable) else reading.choices[0]
        kind = update.kind if isinstance(reading, Readable) else None
        at = update.occurs_at if isinstance(reading, Readable) else None
        return Draft(kind, update.threats, at, update.summary, update.location, update.body_code)
    return None


def _with_due(update: ParsedUpdate, context: Context) -> Readable:
    """A demand in the strict form whose due time is in its summary ("... by 1700 today")."""
    if update.kind is not UpdateKind.DEMAND or update.occurs_at is not None:
        return Readable(update)
    mention = next((m for m in find_times(update.summary) if m.deadline), None)
    due = resolve(context.clock, mention, "future") if mention is not None else None
    if not isinstance(due, datetime) or mention is None:
        return Readable(update)
    words = update.summary[mention.start : mention.end]
    note = f"I took the due time from “{words}”: {fmt_local(due, context.clock.zone)}."
    return Readable(replace(update, occurs_at=due), notes=(note,))


def _strict(text: str, context: Context) -> ParsedUpdate | ParseRejection | None:
    clock = context.clock
    return parse_update_text(
        text, briefing_date=clock.briefing_date, now=clock.now, zone=clock.zone,
        threats=context.threats, body_codes=context.body_codes,
    )  # fmt: skip


def _context(
    briefing_date: date, now: datetime, zone: ZoneInfo, threats: tuple[Threat, ...],
    body_codes: frozenset[str] | None,
) -> Context:  # fmt: skip
    return Context(WhenClock(briefing_date, now, zone), threats, body_codes)


def read_reply(
    text: str,
    *,
    briefing_date: date,
    now: datetime,
    zone: ZoneInfo,
    threats: tuple[Threat, ...],
    body_codes: frozenset[str] | None = None,
) -> Reading:
    """Decide what a thread reply is; pure, and never raises on any text."""
    refused = _refused(text)
    if refused is not None:
        return refused
    context = _context(briefing_date, now, zone, threats, body_codes)
    unaddressed, addressed = strip_mentions(text)
    strict = _strict(unaddressed, context)
    if isinstance(strict, ParsedUpdate):
        return _with_due(strict, context)
    clean = mend_typos(normalise(unaddressed), threat_words(threats))
    if strict is None:
        quiet = _quiet(clean, addressed, context)
        if quiet is not None:
            return quiet
    tolerant = read_tolerantly(clean, context)
    if strict is None or (strict.code in _SOFT and not isinstance(tolerant, Unreadable)):
        return tolerant
    if strict.code == "classified":  # found in a part of the reply: keep none of it either
        return Unreadable(strict.code, strict.message, None)
    return Unreadable(strict.code, strict.message, draft_of(tolerant))


# PostgreSQL cannot store a NUL character in text; people paste them in from other systems
# without seeing them. Such a reply is refused, never cut silently.
UNSTORABLE = "\x00"
UNSTORABLE_MESSAGE = (
    "Not recorded: your message has an invisible character that cannot be stored (a NUL, often "
    "pasted in from another system). Type it again, or use the form, which starts from your "
    "words without it."
)


def _refused(text: str) -> Unreadable | None:
    """What is refused whatever else a reply says: SECRET or above, and what cannot be stored."""
    marking = classification_marking(text)
    if marking is not None:
        return Unreadable("classified", refusal_message(marking), None)
    return _unstorable(text) if UNSTORABLE in text else None


def _unstorable(text: str) -> Unreadable:
    clean = text.replace(UNSTORABLE, "")
    return Unreadable("bad_character", UNSTORABLE_MESSAGE, Draft(None, (), None, clean[:1500]))


def read_reply_as(
    text: str,
    kind: UpdateKind,
    *,
    briefing_date: date,
    now: datetime,
    zone: ZoneInfo,
    threats: tuple[Threat, ...],
    body_codes: frozenset[str] | None = None,
) -> Readable | Unreadable:
    """A reply read as the kind its sender chose (the kind was worked out, or two were possible):
    its time is read again in that kind's direction (a weekday is the last one for an event, the
    next one for a plan); pure, and never raises."""
    refused = _refused(text)
    if refused is not None:
        return refused
    context = _context(briefing_date, now, zone, threats, body_codes)
    unaddressed, _ = strip_mentions(text)
    strict = _strict(unaddressed, context)
    if isinstance(strict, ParsedUpdate) and strict.kind is kind:
        return _with_due(strict, context)
    clean = mend_typos(normalise(unaddressed), threat_words(threats))
    return one_reading(understand(clean, context), kind, None, context)
