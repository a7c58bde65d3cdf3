"""What the sender is told about a reply that was read tolerantly: notes for the confirmation,
and answers saying exactly what could not be read."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from config.files import Threat
from meeting.labels import KIND_LABELS
from meeting.parsing import EXAMPLES, ParsedUpdate, UpdateKind
from meeting.threats import threat_list
from meeting.timefmt import fmt_local

FRAGMENT = 40


def quote(text: str) -> str:
    """A short fragment of the sender's text, in backticks."""
    cut = " ".join(text.split()).replace("`", "'")
    return f"`{cut[:FRAGMENT]}{'…' if len(cut) > FRAGMENT else ''}`"


def kind_words(kind: UpdateKind | None) -> str:
    """ "a significant event", "an urgent demand", or "an update"."""
    if kind is None:
        return "an update"
    label = KIND_LABELS[kind.value].lower()
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def missing(code: str, kind: UpdateKind | None, threats: tuple[Threat, ...]) -> str:
    """What is missing, in words, for each reason code about a missing part."""
    if code == "missing_threat":
        return f"found no threat in it (threats: {threat_list(threats)})"
    if code == "missing_summary":
        return "found nothing saying what happened or what is planned"
    if kind is UpdateKind.EVENT:
        return "found no time it happened (e.g. `yesterday 22:40` or `0710`)"
    if kind is UpdateKind.PLAN:
        return "found no time it is planned for (e.g. `Thu 0600` or `tomorrow 14:00`)"
    return "could not tell when it happened or is planned (e.g. `yesterday 22:40`, `Thu 0600`)"


def problem_message(kind: UpdateKind | None, problems: list[str]) -> str:
    """Not recorded: what was read, what could not be, and an example."""
    said = "; and ".join(problems)
    example = EXAMPLES[kind or UpdateKind.EVENT]
    return f"Not recorded: I read this as {kind_words(kind)}, but {said}. For example:\n`{example}`"


NOT_AN_UPDATE = (
    "Not recorded: I could not read this as an update, as it names no threat, no time and no kind "
    "of update. If it was meant for someone, start it with their @name and I will leave it "
    "alone; to answer the roll call, use the buttons on the briefing header. An update looks "
    f"like:\n`{EXAMPLES[UpdateKind.EVENT]}`"
)


def ambiguous_message(choices: tuple[ParsedUpdate, ...], zone: ZoneInfo) -> str:
    """Not recorded yet: the readings to choose from."""
    readings = [
        kind_words(choice.kind)
        + (f" ({fmt_local(choice.occurs_at, zone)})" if choice.occurs_at else "")
        for choice in choices
    ]
    return (
        f"Not recorded yet: I could not tell whether this is {' or '.join(readings)}. "
        "Choose one and I will record it."
    )


def inferred_note(kind: UpdateKind, why: str) -> str:
    """How the kind was worked out."""
    return f"I took this to be {kind_words(kind)} {why}."


def approximate_note(words: str, at: datetime, zone: ZoneInfo) -> str:
    """How a part of the day was read."""
    return f"I read “{words}” as {fmt_local(at, zone)}; edit the update if the exact time matters."
