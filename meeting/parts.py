"""A reply cut into its parts: the threats, the time, labelled fields and the summary, in any
order after the kind, separated by `|`, `;`, ` - `, `–`, commas, full stops or new lines.

Only parts at the edges (before the first words of the summary or after its last) are taken
as the threats or the time; a threat or a time in the middle of a sentence stays in the summary
("cocaine, heroin, cannabis at Dover" keeps its heroin). A last part is kept as the summary
once the threats and the time are known ("EVENT - firearms - 0710 - handgun recovered").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from config.files import Threat
from meeting.threats import resolve_threats
from meeting.timescan import TimeMention

_SEPARATOR = re.compile(r"<[^<>\n]{0,500}>|[ \t]*(?:\||;|\n|\s[-–—]\s|[–—]|,|\.(?=\s|$))\s*")
_LABEL = re.compile(
    r"^(?P<label>where|location|loc|place|area|for|respond|threats?|time|when|date|dtg|due"
    r"|details?|summary|what|info|notes?)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LABELS = {
    **dict.fromkeys(("where", "location", "loc", "place", "area"), "location"),
    **dict.fromkeys(("for", "respond"), "respond"),
    **dict.fromkeys(("threat", "threats"), "threat"),
    **dict.fromkeys(("time", "when", "date", "dtg", "due"), "time"),
    **dict.fromkeys(("detail", "details", "summary", "what", "info", "note", "notes"), "text"),
}
_FILLER = re.compile(r"\b(?:at|on|approx|around|about|from|hrs|hours|time|when|date)\b|[^\w]")


@dataclass(frozen=True)
class Part:
    """One part of a reply: its text, where it is, and the separator after it."""

    text: str
    start: int
    end: int
    sep: str = ""


@dataclass
class Parts:
    """What the parts of a reply say."""

    threats: tuple[str, ...] = ()
    unknown_threat: str | None = None
    when: TimeMention | None = None
    labelled: dict[str, str] = field(default_factory=dict)
    repeated: str | None = None
    summary: str = ""


def split_parts(text: str) -> list[Part]:
    """The non-empty parts of a text, each with the separator that follows it."""
    pieces: list[tuple[int, int]] = []
    begin = 0
    for match in _SEPARATOR.finditer(text):
        if match[0].startswith("<"):
            continue
        pieces.append((begin, match.start()))
        begin = match.end()
    pieces.append((begin, len(text)))
    parts = []
    for (start, end), (after, _) in zip(pieces, [*pieces[1:], (len(text), 0)], strict=True):
        if text[start:end].strip():
            parts.append(Part(text[start:end].strip(), start, end, text[end:after]))
    return parts


def _covered(part: Part, mentions: list[TimeMention], text: str) -> TimeMention | None:
    """The time a part consists of (nothing else but filler words), or None."""
    for mention in mentions:
        if mention.start < part.end and mention.end > part.start:
            before = text[part.start : max(part.start, mention.start)]
            after = text[min(part.end, mention.end) : part.end]
            if not _FILLER.sub("", before.lower()) and not _FILLER.sub("", after.lower()):
                return mention
    return None


def _threat_only(part: Part, threats: tuple[Threat, ...]) -> tuple[str, ...] | None:
    found = resolve_threats(part.text.rstrip(".!"), threats)
    return found if isinstance(found, tuple) else None


def _summary(kept: list[Part]) -> str:
    if not kept:
        return ""
    text = "".join(part.text + part.sep for part in kept[:-1]) + kept[-1].text
    return text + "." if kept[-1].sep.strip() == "." else text


class _Reader:
    """Sorts the parts of one reply."""

    def __init__(self, text: str, mentions: list[TimeMention], threats: tuple[Threat, ...]):
        self.text, self.mentions, self.threats = text, mentions, threats
        self.found = Parts()

    def label(self, part: Part) -> Part | None:
        """Take a labelled part; a `details:` part stays in the summary without its label."""
        match = _LABEL.match(part.text)
        if match is None:
            return part
        name, value = _LABELS[match["label"].lower()], match["value"].strip()
        if name == "text":
            return Part(value, part.start, part.end, part.sep)
        if name == "threat":
            self.threat(value)
        elif name == "time":
            self.found.when = self.found.when or _covered(part, self.mentions, self.text)
        elif name in self.found.labelled:
            self.found.repeated = name
        else:
            self.found.labelled[name] = value
        return None

    def threat(self, value: str) -> None:
        found = resolve_threats(value, self.threats)
        if isinstance(found, str):
            self.found.unknown_threat = value
        else:
            self.found.threats = tuple(dict.fromkeys((*self.found.threats, *found)))

    def edge(self, part: Part) -> bool:
        """Take a part of threats only, or of a time only; False if it is summary text."""
        named = _threat_only(part, self.threats)
        if named is not None:
            self.found.threats = tuple(dict.fromkeys((*self.found.threats, *named)))
            return True
        mention = _covered(part, self.mentions, self.text)
        if mention is not None and self.found.when in (None, mention):
            self.found.when = mention
            return True
        return False


def read_parts(text: str, mentions: list[TimeMention], threats: tuple[Threat, ...]) -> Parts:
    """The threats, time, labelled fields and summary of the text after the kind."""
    reader = _Reader(text, mentions, threats)
    remaining = [kept for part in split_parts(text) if (kept := reader.label(part)) is not None]
    while len(remaining) > 1 and reader.edge(remaining[0]):
        remaining.pop(0)
    while len(remaining) > 1 and reader.edge(remaining[-1]):
        remaining.pop()
    if len(remaining) == 1 and not (reader.found.threats and reader.found.when):
        if reader.edge(remaining[0]):
            remaining.pop()
    reader.found.summary = _summary(remaining)
    return reader.found
