"""The audit log in people's words: who (named where we know them), what changed, UK times.

Entries keep ids and UTC instants (storage/models.AuditEntry); this module turns them into
sentences such as "changed the summary of BTP's significant event (update 12) from ... to ..."
or "marked BTP present at the briefing of 23/11/2026", with every instant in UK local time,
inside the before and after values too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from meeting.labels import DEMAND_STATUS_LABELS, KIND_LABELS, UPDATE_STATUS_LABELS, label
from meeting.timefmt import fmt_date, fmt_stamp

QUOTE_CHARS = 120
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
FIELD_LABELS = {
    "occurs_at": "time",
    "due_at": "due time",
    "respond_body_id": "body asked",
    "body_id": "body",
    "demand_status": "demand status",
    "last_day": "last day",
    "from": "from",
    "thread_ts": "thread",
    "meeting_date": "date",
}
STATE_WORDS = {
    "present": "present",
    "nil": "present with nothing to report",
    "apologies": "as sending apologies",
    "absent": "absent",
}
_TEXT_FIELDS = frozenset({"summary", "location", "reason"})


@dataclass(frozen=True)
class Names:
    """What the database knows to name things: bodies, briefings' dates and people's bodies;
    `name_of` gives a person's name where Slack can say (None offline)."""

    bodies: Mapping[int, str]
    briefings: Mapping[int, date]
    people: Mapping[str, tuple[str, ...]]
    zone: ZoneInfo
    name_of: Callable[[str], str | None] = field(default=lambda _user: None)

    def body(self, body_id: Any) -> str:
        """A body's code (or "body N" for one no longer known)."""
        return self.bodies.get(int(body_id), f"body {body_id}") if body_id else "no body"

    def day(self, briefing_id: Any) -> str:
        """The meeting date of a briefing, UK style."""
        known = self.briefings.get(int(briefing_id)) if str(briefing_id).isdigit() else None
        return fmt_date(known) if known else f"briefing {briefing_id}"

    def person(self, actor: str, *, bodies: bool = True) -> str:
        """A person as "Name, BTP" or "Slack user U123, BTP" (the bodies they speak for, unless
        `bodies` is false); the bot's own runs as the bot."""
        if not _USER.match(actor):
            return "the bot (on schedule)" if actor == "scheduler" else f"the bot ({actor})"
        shown = self.name_of(actor) or f"Slack user {actor}"
        codes = self.people.get(actor, ()) if bodies else ()
        return f"{shown}, {'/'.join(codes)}" if codes else shown


def quote(text: str) -> str:
    """People's text, on one line, shortened, in quotation marks."""
    flat = " ".join(str(text).split())
    short = flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…"
    return f"“{short}”"


def _when(value: str, zone: ZoneInfo) -> str:
    try:
        return fmt_stamp(datetime.fromisoformat(value), zone)
    except ValueError:
        return value


def _coded(key: str, value: str) -> str | None:
    tables = {
        "kind": KIND_LABELS,
        "status": UPDATE_STATUS_LABELS,
        "demand_status": DEMAND_STATUS_LABELS,
    }
    if key in tables:
        return label(tables[key], value)
    return STATE_WORDS.get(value) if key == "state" else None


def show(key: str, value: Any, names: Names) -> str:
    """One audited value in words: UK local times and dates, codes as labels, text quoted."""
    if value is None or value == "" or value == []:
        return "none"
    if key in ("body_id", "respond_body_id"):
        return names.body(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    if _DATETIME.match(text):
        return _when(text, names.zone)
    if _DATE.match(text):
        return fmt_date(date.fromisoformat(text))
    if key in _TEXT_FIELDS:
        return quote(text)
    return _coded(key, text) or text


def show_fields(data: Mapping[str, Any] | None, names: Names) -> str:
    """A before or after record in words ("" when there is none)."""
    if not data:
        return ""
    return "; ".join(f"{FIELD_LABELS.get(k, k)}: {show(k, v, names)}" for k, v in data.items())
