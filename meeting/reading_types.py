"""What reading a thread reply can decide: the five outcomes `read_reply` returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meeting.parsing import ParsedUpdate, UpdateKind


@dataclass(frozen=True)
class Readable:
    """An update to record. `inferred`: the kind was not written but worked out from the
    wording or the time; `notes` are for the confirmation (how a kind or a time was read)."""

    update: ParsedUpdate
    inferred: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NilReturn:
    """A nil return in words: present with nothing to report (for a body, if one was named)."""

    body_code: str | None = None


@dataclass(frozen=True)
class Conversation:
    """Plain conversation, left alone. `reason`: addressed, thanks, plus_one, emoji, social or
    empty."""

    reason: str


@dataclass(frozen=True)
class Draft:
    """Whatever was understood of a reply that could not be recorded, to prefill the form."""

    kind: UpdateKind | None
    threats: tuple[str, ...]
    occurs_at: datetime | None
    summary: str
    location: str | None = None
    body_code: str | None = None


@dataclass(frozen=True)
class Unreadable:
    """A reply that cannot be recorded: a stable reason `code` (meeting.labels.REFUSAL_LABELS),
    a `message` for the sender, and a `draft` (None when the text must not be kept at all)."""

    code: str
    message: str
    draft: Draft | None


@dataclass(frozen=True)
class Ambiguous:
    """Two readings equally likely: the sender chooses (one button per choice)."""

    choices: tuple[ParsedUpdate, ...]
    message: str
    code: str = "ambiguous_kind"


Reading = Readable | NilReturn | Conversation | Unreadable | Ambiguous
