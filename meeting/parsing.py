"""The short text form of an update typed as a reply in the briefing thread.

`[BODY] KEYWORD | threats | when | summary`, e.g. `EVENT | firearms | yesterday 22:40 | ...`,
`PLAN | OIC, MSHT | Thu 0600 | ...`, `URGENT | cyber | ...` (an urgent demand may give a due
time before the summary). Keywords and threats are case-insensitive; a leading body code picks
the body for people who speak for several. After the threats, a field `where: ...` gives the
location, and on an urgent demand `for: BODY` names the body asked to respond. This is the strict
form, read first and always the same way; text that does not start with a keyword and a `|` is
not this form (None), and meeting.reading reads it in the forms people actually use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from config.files import Threat
from meeting.classification import classification_marking, handling_marking, refusal_message
from meeting.labels import MAX_LOCATION, MAX_SUMMARY
from meeting.threats import resolve_threats, threat_list
from meeting.timeparse import WhenClock, WhenProblem

_LABELLED = re.compile(r"^(where|location|for|respond)\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)
_LABELS = {"where": "location", "location": "location", "for": "respond", "respond": "respond"}
_BODY_CODE = re.compile(r"^[a-z][a-z0-9]{1,15}$")
_DECORATION = re.compile(r"[*_~`]")
_HARD_TIME_PROBLEMS = ("ambiguous_time", "nonexistent_time", "not_uk_date", "weekday_mismatch")


class UpdateKind(StrEnum):
    """What an update reports."""

    EVENT = "event"
    PLAN = "plan"
    DEMAND = "demand"


KEYWORDS = {
    **dict.fromkeys(("event", "events", "significant event", "sig event", "incident"), "event"),
    **dict.fromkeys(("plan", "plans", "operational plan", "op", "operation"), "plan"),
    **dict.fromkeys(
        ("urgent", "demand", "urgent demand", "request", "urgent request", "urgent demands"),
        "demand",
    ),
}
EXAMPLES = {
    UpdateKind.EVENT: "EVENT | firearms | yesterday 22:40 | Shots fired at a house in Salford; "
    "no injuries",
    UpdateKind.PLAN: "PLAN | OIC, MSHT | Thu 0600 | Warrants at three addresses in Dover",
    UpdateKind.DEMAND: "URGENT | cyber | Fri 12:00 | Need a contact at the hospital trust hit "
    "by ransomware",
}


@dataclass(frozen=True)
class ParsedUpdate:
    """An update read from a reply (not yet checked against windows or membership)."""

    kind: UpdateKind
    threats: tuple[str, ...]
    occurs_at: datetime | None
    summary: str
    marking: str = "OFFICIAL"
    body_code: str | None = None
    location: str | None = None
    respond_code: str | None = None  # an urgent demand's `for: BODY`


@dataclass(frozen=True)
class ParseRejection:
    """A reply that tried to be an update but cannot be recorded, and why."""

    code: str
    message: str
    kind: UpdateKind | None = None


def split_fields(text: str) -> list[str]:
    """Split on `|`, except inside Slack markup such as `<https://x|label>`."""
    if "<" not in text:
        return [field.strip() for field in text.split("|")]
    fields: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "<":
            depth += 1
        elif char == ">" and depth:
            depth -= 1
        if char == "|" and not depth:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return [field.strip() for field in fields]


def _unescape(text: str) -> str:
    """Slack sends &, < and > typed by people as entities."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _body_token(word: str, codes: frozenset[str] | None) -> str | None:
    """A body code next to the keyword: a known code, or (codes unknown) a word in capitals."""
    bare = word.strip()
    if not _BODY_CODE.match(bare.lower()):
        return None
    if codes is not None:
        return bare.upper() if bare.upper() in codes else None
    return bare if bare.isupper() else None


def read_head(
    head: str, body_codes: frozenset[str] | None = None
) -> tuple[UpdateKind, str | None] | None:
    """The keyword and optional body code of the first field, or None if it is not one."""
    original = " ".join(_DECORATION.sub("", head).replace(":", " ").split())
    words = original.lower()
    if words in KEYWORDS:
        return UpdateKind(KEYWORDS[words]), None
    first, _, rest = original.partition(" ")
    body = _body_token(first, body_codes)
    if rest.lower() in KEYWORDS and body:
        return UpdateKind(KEYWORDS[rest.lower()]), body
    rest, _, last = original.rpartition(" ")
    body = _body_token(last, body_codes)
    if rest.lower() in KEYWORDS and body:
        return UpdateKind(KEYWORDS[rest.lower()]), body
    return None


def _reject(kind: UpdateKind | None, code: str, problem: str) -> ParseRejection:
    example = EXAMPLES[kind or UpdateKind.EVENT]
    return ParseRejection(code, f"Not recorded: {problem}. For example:\n`{example}`", kind)


def _when(clock: WhenClock, kind: UpdateKind, text: str) -> datetime | WhenProblem:
    """Events look back (a weekday is the last one); plans and demands look ahead."""
    return clock.read(text, "past" if kind is UpdateKind.EVENT else "future")


def _time_problem(kind: UpdateKind, field: str, problem: WhenProblem) -> ParseRejection:
    what = {"event": "when it happened", "plan": "when it is planned", "demand": "when it is due"}
    return _reject(
        kind,
        problem.code,
        f"I could not read {what[kind.value]} from `{field[:60]}`: {problem.message}",
    )


def _summary(kind: UpdateKind, parts: list[str]) -> str | ParseRejection:
    summary = _unescape(" | ".join(parts).strip())
    if not summary:
        return _reject(
            kind, "missing_summary", "the summary is missing; write it after the last `|`"
        )
    if len(summary) > MAX_SUMMARY:
        return _reject(
            kind,
            "summary_too_long",
            f"the summary has {len(summary)} characters; keep it under {MAX_SUMMARY} "
            "and give the detail on the call",
        )
    return summary


def label_problem(
    kind: UpdateKind, label: str, value: str, found: dict[str, str], codes: frozenset[str] | None
) -> str | None:
    """Why a `where:` or `for:` field cannot be taken, or None."""
    field = "`where:`" if label == "location" else "`for:`"
    if label in found:
        return f"{field} is given twice; give it once"
    if not value:
        return f"{field} is empty; write it as `where: Dover` or leave it out"
    if label == "location":
        return (
            None
            if len(value) <= MAX_LOCATION
            else (f"the location has {len(value)} characters; keep it under {MAX_LOCATION}")
        )
    if kind is not UpdateKind.DEMAND:
        return "only an urgent demand asks a body to respond; leave out `for:`"
    known = _BODY_CODE.match(value.lower()) and (codes is None or value.upper() in codes)
    return None if known else f"`for: {value[:20]}` names no body; give a body's code, e.g. PSNI"


def _labelled(
    kind: UpdateKind, fields: list[str], codes: frozenset[str] | None
) -> tuple[dict[str, str], list[str]] | ParseRejection:
    """Take the `where:` and `for:` fields out of the fields after the threats."""
    found: dict[str, str] = {}
    rest: list[str] = []
    for field in fields:
        match = _LABELLED.match(field)
        if match is None:
            rest.append(field)
            continue
        label, value = _LABELS[match.group(1).lower()], _unescape(match.group(2).strip())
        problem = label_problem(kind, label, value, found, codes)
        if problem is not None:
            return _reject(kind, f"bad_{label}", problem)
        found[label] = value.upper() if label == "respond" else value
    return found, rest


def _demand_due(
    clock: WhenClock, fields: list[str]
) -> tuple[datetime | None, list[str]] | ParseRejection:
    """An urgent demand may give a due time before its summary."""
    if len(fields) < 2:
        return None, fields
    found = _when(clock, UpdateKind.DEMAND, fields[0])
    if isinstance(found, datetime):
        return found, fields[1:]
    if found.code in _HARD_TIME_PROBLEMS:
        return _time_problem(UpdateKind.DEMAND, fields[0], found)
    return None, fields


def _dated(
    kind: UpdateKind, fields: list[str], clock: WhenClock
) -> tuple[datetime | None, list[str]] | ParseRejection:
    """The time and the summary fields of an update."""
    if kind is UpdateKind.DEMAND:
        return _demand_due(clock, fields)
    if not fields or not fields[0]:
        return _reject(kind, "missing_time", "the time is missing; put it after the threats")
    found = _when(clock, kind, fields[0])
    if isinstance(found, WhenProblem):
        if len(fields) == 1 and found.code in ("no_time", "unclear_date"):
            return _reject(
                kind,
                "missing_time",
                "the time is missing; put it between the threats and the summary",
            )
        return _time_problem(kind, fields[0], found)
    return found, fields[1:]


def parse_update_text(
    text: str,
    *,
    briefing_date: date,
    now: datetime,
    zone: ZoneInfo,
    threats: tuple[Threat, ...],
    body_codes: frozenset[str] | None = None,
) -> ParsedUpdate | ParseRejection | None:
    """Read a thread reply: an update, a rejection saying why not, or None for conversation.

    A body code before the keyword must be one of `body_codes` (when given), else in capitals.
    """
    marking = classification_marking(text)
    if marking is not None:
        return ParseRejection("classified", refusal_message(marking))
    fields = split_fields(text)
    head = read_head(fields[0], body_codes) if len(fields) > 1 and len(fields[0]) <= 60 else None
    if head is None:
        return None
    kind, body_code = head
    found = resolve_threats(_unescape(fields[1]), threats)
    if isinstance(found, str):
        code = "unknown_threat" if fields[1].strip() else "missing_threat"
        return _reject(kind, code, f"{found}. Threats: {threat_list(threats)}")
    labelled = _labelled(kind, fields[2:], body_codes)
    if isinstance(labelled, ParseRejection):
        return labelled
    extra, fields = labelled
    dated = _dated(kind, fields, WhenClock(briefing_date, now, zone))
    if isinstance(dated, ParseRejection):
        return dated
    occurs_at, rest = dated
    summary = _summary(kind, rest)
    if isinstance(summary, ParseRejection):
        return summary
    return ParsedUpdate(
        kind,
        found,
        occurs_at,
        summary,
        handling_marking(text),
        body_code,
        location=extra.get("location"),
        respond_code=extra.get("respond"),
    )
