"""The audit trail for people: entries chosen by body, person, action and UK dates, each as a
line saying when (UK time), who (named where known) and what changed, in words."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select

from meeting.audit_phrases import FAMILIES, KNOWN_ACTIONS, describe
from meeting.audit_wording import Names, show_fields
from meeting.calendar import local_instant
from meeting.roster import bodies_by_id
from meeting.timefmt import fmt_stamp
from storage.models import AuditEntry, Body, Briefing, Member


@dataclass(frozen=True)
class AuditQuery:
    """Which entries to show: all filters optional; `newest` keeps only the last N."""

    body: Body | None = None
    user: str | None = None
    action: str | None = None
    since: date | None = None  # UK dates, inclusive
    until: date | None = None
    newest: int | None = None


@dataclass(frozen=True)
class AuditLine:
    """One entry as people read it."""

    entry_id: int
    at: datetime
    when: str
    who: str
    action: str
    what: str
    before: str
    after: str


def valid_action(text: str) -> bool:
    """True for an action the bot records (e.g. "update.edit") or a family of them ("update")."""
    return text.lower() in KNOWN_ACTIONS or text.lower() in FAMILIES


def _data(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def concerns_body(entry: AuditEntry, body: Body) -> bool:
    """True when an entry is about a body: its roster, attendance, updates or reminders."""
    subject = entry.subject
    if subject == f"body:{body.id}" or (
        subject.startswith("briefing:") and subject.endswith(f":body:{body.id}")
    ):
        return True
    for data in (_data(entry.before), _data(entry.after)):
        if body.id in (data.get("body_id"), data.get("respond_body_id")):
            return True
        if body.code in (data.get("code"), data.get("body")) or body.code in (
            data.get("bodies") or []
        ):
            return True
    return False


def _body_hint(body: Body) -> ColumnElement[bool]:
    """A cheap superset of the entries about a body, for the database to narrow down."""
    texts = (col(AuditEntry.before), col(AuditEntry.after))
    patterns = (f'%body_id": {body.id},%', f'%body_id": {body.id}}}%', f'%"{body.code}"%')
    return or_(
        col(AuditEntry.subject) == f"body:{body.id}",
        col(AuditEntry.subject).like(f"briefing:%:body:{body.id}"),
        *(text.like(pattern) for text in texts for pattern in patterns),
    )


def _select(query: AuditQuery, zone: ZoneInfo) -> Any:
    statement = select(AuditEntry)
    if query.since is not None:
        statement = statement.where(AuditEntry.at >= local_instant(query.since, time(0), zone))
    if query.until is not None:
        end = local_instant(query.until + timedelta(days=1), time(0), zone)
        statement = statement.where(AuditEntry.at < end)
    if query.user is not None:
        statement = statement.where(
            or_(AuditEntry.actor == query.user, AuditEntry.subject == f"user:{query.user}")
        )
    if query.action is not None:
        action = query.action.lower()
        statement = statement.where(
            or_(AuditEntry.action == action, col(AuditEntry.action).startswith(f"{action}."))
        )
    if query.body is not None:
        statement = statement.where(_body_hint(query.body))
    order = (col(AuditEntry.at), col(AuditEntry.id))
    return statement.order_by(*(o.desc() for o in order) if query.newest else order)


def find_entries(*, session: Session, query: AuditQuery, zone: ZoneInfo) -> list[AuditEntry]:
    """The chosen entries, oldest first (with `newest`: the last N, newest first)."""
    found: list[AuditEntry] = []
    for entry in session.exec(_select(query, zone)):
        if query.body is not None and not concerns_body(entry, query.body):
            continue
        found.append(entry)
        if query.newest is not None and len(found) >= query.newest:
            break
    return found


def load_names(
    *, session: Session, zone: ZoneInfo, name_of: Callable[[str], str | None] | None = None
) -> Names:
    """What the database knows to name things; `name_of` adds people's names (from Slack)."""
    bodies = {i: b.code for i, b in bodies_by_id(session=session).items()}
    briefings = {b.id: b.meeting_date for b in session.exec(select(Briefing)) if b.id}
    people: dict[str, set[str]] = {}
    for member in session.exec(select(Member)):
        people.setdefault(member.slack_user_id, set()).add(bodies.get(member.body_id, "?"))
    codes = {user: tuple(sorted(found)) for user, found in people.items()}
    if name_of is None:
        return Names(bodies, briefings, codes, zone)
    return Names(bodies, briefings, codes, zone, name_of)


def to_lines(entries: Iterable[AuditEntry], names: Names) -> list[AuditLine]:
    """Entries as people read them."""
    lines = []
    for entry in entries:
        before, after = _data(entry.before) or None, _data(entry.after) or None
        lines.append(
            AuditLine(
                entry_id=entry.id or 0,
                at=entry.at,
                when=fmt_stamp(entry.at, names.zone),
                who=names.person(entry.actor),
                action=entry.action,
                what=describe(entry.action, entry.subject, before, after, names),
                before=show_fields(before, names),
                after=show_fields(after, names),
            )
        )
    return lines


def audit_lines(
    *,
    session: Session,
    query: AuditQuery,
    zone: ZoneInfo,
    name_of: Callable[[str], str | None] | None = None,
) -> list[AuditLine]:
    """The chosen entries as lines: when (UK), who, what changed, before and after in words."""
    entries = find_entries(session=session, query=query, zone=zone)
    return to_lines(entries, load_names(session=session, zone=zone, name_of=name_of))
