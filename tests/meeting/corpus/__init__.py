"""The corpus of thread replies (replies.toml) with the outcome each sender meant, typed.

Used by the pure-level corpus test and, end to end, through signed requests: each reply carries
the briefing it is sent to (date, when it opened, when the previous one opened, and `now`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

CORPUS = Path(__file__).resolve().parent / "replies.toml"
LONDON = ZoneInfo("Europe/London")
Outcome = Literal["update", "nil", "conversation", "answer", "choice"]
OUTCOMES = ("update", "nil", "conversation", "answer", "choice")


@dataclass(frozen=True)
class BriefingContext:
    """The briefing a reply is sent to; instants are aware (UTC)."""

    name: str
    meeting_date: date
    opened_at: datetime
    now: datetime
    previous_opened_at: datetime
    zone: ZoneInfo = LONDON


@dataclass(frozen=True)
class Expected:
    """What the sender meant: an update (kind, threats, when), a nil return, conversation,
    an answer (with the reason code when one is expected) or a choice between kinds."""

    outcome: Outcome
    kind: str | None = None
    threats: frozenset[str] = frozenset()
    at: datetime | None = None
    body: str | None = None
    code: str | None = None
    kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CorpusReply:
    """One reply of the corpus."""

    id: str
    style: str
    text: str
    briefing: BriefingContext
    expected: Expected
    held_out: bool = False  # written after the reader was tuned, and not tuned on


def local_instant(text: str, zone: ZoneInfo = LONDON) -> datetime:
    """ "2026-10-25 01:30 GMT" (the zone word only where the clocks repeat an hour) as UTC."""
    parts = text.split()
    stamp, word = " ".join(parts[:2]), (parts[2] if len(parts) > 2 else "")
    naive = datetime.strptime(stamp, "%Y-%m-%d %H:%M")
    for fold in (0, 1):
        local = naive.replace(tzinfo=zone, fold=fold)
        if not word or local.tzname() == word:
            return local.astimezone(UTC)
    raise ValueError(f"{text}: {word} is not the zone at that time")


def _briefing(name: str, table: dict[str, Any]) -> BriefingContext:
    return BriefingContext(
        name,
        date.fromisoformat(table["date"]),
        local_instant(table["opened"]),
        local_instant(table["now"]),
        local_instant(table["previous_opened"]),
    )


def _expected(entry: dict[str, Any]) -> Expected:
    outcome = entry["expect"]
    if outcome not in OUTCOMES:
        raise ValueError(f"{entry['id']}: unknown outcome {outcome!r}")
    at = entry.get("at") or None
    return Expected(
        outcome,
        kind=entry.get("kind"),
        threats=frozenset(entry.get("threats", ())),
        at=local_instant(at) if at else None,
        body=entry.get("body"),
        code=entry.get("code"),
        kinds=frozenset(entry.get("kinds", ())),
    )


def load_corpus(path: Path = CORPUS) -> tuple[CorpusReply, ...]:
    """Every reply of the corpus, in file order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    briefings = {name: _briefing(name, table) for name, table in data["briefing"].items()}
    replies = tuple(
        CorpusReply(
            entry["id"],
            entry["style"],
            entry["text"],
            briefings[entry.get("briefing", "nov")],
            _expected(entry),
            bool(entry.get("held_out", False)),
        )
        for entry in data["reply"]
    )
    ids = [reply.id for reply in replies]
    if len(set(ids)) != len(ids):
        raise ValueError("corpus ids must be unique")
    return replies


Verdict = Literal["correct", "wrong", "answered", "silent"]


@dataclass
class Tally:
    """Verdicts over the corpus. Replies that are not conversation are read correctly, recorded
    wrongly, answered (the sender hears what to fix) or silent (taken for conversation);
    conversation is left alone (counted as correct) or not."""

    verdicts: dict[str, Verdict]
    conversation: dict[str, bool]

    def __init__(self) -> None:
        self.verdicts, self.conversation = {}, {}

    def add(self, reply: CorpusReply, verdict: Verdict) -> None:
        """Count one reply's verdict."""
        if reply.expected.outcome == "conversation":
            self.conversation[reply.id] = verdict == "correct"
        else:
            self.verdicts[reply.id] = verdict

    def share(self, verdict: Verdict) -> float:
        """The share of replies that are not conversation with this verdict."""
        values = list(self.verdicts.values())
        return values.count(verdict) / len(values) if values else 0.0

    def left_alone(self) -> float:
        """The share of conversation left alone."""
        values = list(self.conversation.values())
        return sum(values) / len(values) if values else 0.0

    def report(self) -> str:
        """The figures, in one line each."""
        return "\n".join(
            [
                f"{len(self.verdicts)} replies that are not conversation:",
                f"  read correctly   {self.share('correct'):6.1%}",
                f"  recorded wrongly {self.share('wrong'):6.1%}",
                f"  answered         {self.share('answered'):6.1%}",
                f"  silent           {self.share('silent'):6.1%}",
                f"{len(self.conversation)} conversation: left alone {self.left_alone():6.1%}",
            ]
        )
