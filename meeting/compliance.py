"""Guidance compliance (inspectorate recommendation 10): per body, who has read the current
guidance, and whether its updates bring what the guidance asks for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from meeting.guidance import current_version
from meeting.update_view import UpdateView
from storage.models import Body, GuidanceAck, Member, Refusal

TOP_REASONS = 3
TIMED_KINDS = ("event", "plan")  # an urgent demand has no time of its own


@dataclass
class BodyCompliance:
    """One body's line of the guidance compliance sheet (body_id None: people with no body)."""

    body_id: int | None
    code: str
    name: str
    members: int = 0
    acknowledged: int = 0
    updates: int = 0
    refused: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # refusal code -> how many
    naming_threat: int = 0
    timeable: int = 0  # events and plans, which should say when
    timed: int = 0

    def top_reasons(self) -> list[tuple[str, int]]:
        """The commonest refusal codes, most frequent first."""
        return sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]


@dataclass(frozen=True)
class Compliance:
    """The current guidance version's publication time, and every body's line."""

    published_at: datetime | None
    rows: tuple[BodyCompliance, ...]


def _members(session: Session, version_id: int | None) -> tuple[Counter[int], Counter[int]]:
    """Current members, and those who acknowledged the version, counted by body."""
    members: Counter[int] = Counter()
    acknowledged: Counter[int] = Counter()
    acked: set[str] = set()
    if version_id is not None:
        query = select(GuidanceAck.slack_user_id).where(GuidanceAck.version_id == version_id)
        acked = set(session.exec(query))
    for member in session.exec(select(Member).where(col(Member.removed_at).is_(None))):
        members[member.body_id] += 1
        acknowledged[member.body_id] += member.slack_user_id in acked
    return members, acknowledged


def _refusals(
    session: Session, start: datetime, end: datetime
) -> Iterable[tuple[int | None, str, int]]:
    query = (
        select(col(Refusal.body_id), col(Refusal.reason), func.count())
        .where(col(Refusal.at) >= start, col(Refusal.at) < end)
        .group_by(col(Refusal.body_id), col(Refusal.reason))
    )
    return session.exec(query)


def _extra_row(session: Session, body_id: int | None) -> BodyCompliance:
    """A line for refusals from a body not in the period's roster, or from people with no body."""
    body = None if body_id is None else session.get(Body, body_id)
    if body is None:
        return BodyCompliance(None, "", "People who speak for no body")
    return BodyCompliance(body_id, body.code, body.name)


def _count_updates(rows: dict[int | None, BodyCompliance], updates: Iterable[UpdateView]) -> None:
    for update in updates:
        row = rows.get(update.body_id)
        if row is None or update.status != "active":
            continue
        row.updates += 1
        row.naming_threat += bool(update.threats)
        if update.kind in TIMED_KINDS:
            row.timeable += 1
            row.timed += update.occurs_at is not None


def load_compliance(
    *,
    session: Session,
    bodies: Sequence[tuple[int, str, str]],
    updates: Iterable[UpdateView],
    start: datetime,
    end: datetime,
) -> Compliance:
    """Each body's (id, code, name) line, in the order given; refusals from start to end."""
    version = current_version(session=session)
    members, acknowledged = _members(session, None if version is None else version.id)
    rows: dict[int | None, BodyCompliance] = {
        body_id: BodyCompliance(body_id, code, name, members[body_id], acknowledged[body_id])
        for body_id, code, name in bodies
    }
    for body_id, reason, count in _refusals(session, start, end):
        row = rows.get(body_id) or rows.setdefault(body_id, _extra_row(session, body_id))
        row.refused += count
        row.reasons[reason] += count
    _count_updates(rows, updates)
    return Compliance(None if version is None else version.published_at, tuple(rows.values()))
