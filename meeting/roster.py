"""The roster: bodies, their invitation history, and who speaks for them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import bindparam
from sqlmodel import Session, col, or_, select

from config.files import BodySeed
from meeting.audit import record as audit
from meeting.briefings import get_briefing
from storage.db import values_of
from storage.models import Body, Invitation, Member


def seed_bodies(
    *, session: Session, seeds: tuple[BodySeed, ...], today: date, now: datetime
) -> int:
    """Add bodies from the roster file that the database does not know yet, invited from today."""
    known = {body.code for body in session.exec(select(Body))}
    added = 0
    for seed in seeds:
        if seed.code in known:
            continue
        body = Body(
            code=seed.code,
            name=seed.name,
            external_team_ids=list(seed.external_team_ids),
            created_at=now,
        )
        session.add(body)
        session.flush()
        assert body.id is not None
        session.add(Invitation(body_id=body.id, invited_from=today, invited_by="config"))
        added += 1
    return added


def body_by_code(*, session: Session, code: str) -> Body | None:
    """The body with a code (case-insensitive), if any."""
    return session.exec(select(Body).where(Body.code == code.strip().upper())).first()


def bodies_by_id(*, session: Session) -> dict[int, Body]:
    """Every body, by id."""
    return {body.id: body for body in session.exec(select(Body)) if body.id is not None}


# The queries run for every thread reply are built once: on SQLite building a query costs
# about as much as running it.
_CODES = select(Body.code)
_INVITED_AMONG = (
    select(Invitation.body_id)
    .where(col(Invitation.body_id).in_(bindparam("ids", expanding=True)))
    .where(Invitation.invited_from <= bindparam("day"))
    .where(
        or_(col(Invitation.invited_to).is_(None), col(Invitation.invited_to) >= bindparam("day"))
    )
    .distinct()
)
_MEMBER_BODIES = (
    select(Body)
    .join(Member, col(Member.body_id) == col(Body.id))
    .where(Member.slack_user_id == bindparam("user"), col(Member.removed_at).is_(None))
    .order_by(col(Body.code))
)


def body_codes(*, session: Session) -> frozenset[str]:
    """Every body's code (a column-only query: each reply is parsed against them)."""
    return frozenset(values_of(session, _CODES))


def invited_among(*, session: Session, body_ids: Collection[int], day: date) -> set[int]:
    """Which of some bodies are invited on a day (without loading every invited body)."""
    if not body_ids:
        return set()
    return set(values_of(session, _INVITED_AMONG, ids=list(body_ids), day=day))


def invited_bodies(*, session: Session, day: date) -> list[Body]:
    """Bodies invited on a day, by code."""
    query = (
        select(Body)
        .join(Invitation, col(Invitation.body_id) == col(Body.id))
        .where(Invitation.invited_from <= day)
        .where(or_(col(Invitation.invited_to).is_(None), col(Invitation.invited_to) >= day))
        .order_by(col(Body.code))
        .distinct()
    )
    return list(session.exec(query))


def member_bodies(*, session: Session, user_id: str) -> list[Body]:
    """Bodies a Slack user currently speaks for, by code."""
    return list(session.exec(_MEMBER_BODIES, params={"user": user_id}))


def speaker_bodies(*, session: Session, user_id: str, team_id: str | None = None) -> list[Body]:
    """Bodies a person speaks for: their mappings, else their Slack Connect organisation's body."""
    mapped = member_bodies(session=session, user_id=user_id)
    if mapped or not team_id:
        return mapped
    return [
        body
        for body in session.exec(select(Body).order_by(col(Body.code)))
        if team_id in body.external_team_ids
    ]


class RosterChange(StrEnum):
    """What a roster command did."""

    INVITED = "invited"
    REINVITED = "reinvited"
    ALREADY_INVITED = "already_invited"
    UNINVITED = "uninvited"
    NOT_INVITED = "not_invited"
    UNKNOWN_BODY = "unknown_body"
    NAME_NEEDED = "name_needed"
    ADDED = "added"
    ALREADY_MEMBER = "already_member"
    REMOVED = "removed"
    NOT_MEMBER = "not_member"


@dataclass(frozen=True)
class RosterResult:
    """The outcome of a roster change, with the body where there is one."""

    change: RosterChange
    body: Body | None = None
    count: int = 0


@dataclass(frozen=True)
class RosterEntry:
    """A body with its current (or last) invitation and how many people speak for it."""

    body: Body
    invited_from: date | None
    invited_to: date | None
    members: int

    @property
    def current(self) -> bool:
        """True while the body is invited."""
        return self.invited_from is not None and self.invited_to is None


def invitations(*, session: Session) -> dict[int, list[tuple[date, date | None]]]:
    """Every body's invitation periods (from, to inclusive; to None while open), oldest first."""
    periods: dict[int, list[tuple[date, date | None]]] = {}
    query = select(Invitation).order_by(col(Invitation.invited_from), col(Invitation.id))
    for row in session.exec(query):
        periods.setdefault(row.body_id, []).append((row.invited_from, row.invited_to))
    return periods


def invited_on(periods: list[tuple[date, date | None]], day: date) -> bool:
    """True if one of a body's invitation periods covers a day."""
    return any(start <= day and (end is None or day <= end) for start, end in periods)


def _latest_invitation(session: Session, body_id: int) -> Invitation | None:
    query = (
        select(Invitation)
        .where(Invitation.body_id == body_id)
        .order_by(col(Invitation.invited_from).desc(), col(Invitation.id).desc())
    )
    return session.exec(query).first()


def invite_body(
    *, session: Session, code: str, name: str, day: date, actor: str, now: datetime
) -> RosterResult:
    """Invite a body from `day` (creating it if new); an invitation ended today is reopened."""
    body = body_by_code(session=session, code=code)
    if body is None:
        if not name.strip():
            return RosterResult(RosterChange.NAME_NEEDED)
        body = Body(code=code.strip().upper(), name=name.strip(), created_at=now)
        session.add(body)
        session.flush()
    assert body.id is not None
    latest = _latest_invitation(session, body.id)
    if latest is not None and latest.invited_to is None:
        return RosterResult(RosterChange.ALREADY_INVITED, body)
    if name.strip() and name.strip() != body.name:
        body.name = name.strip()
        session.add(body)
    if latest is not None and latest.invited_to is not None and latest.invited_to >= day:
        latest.invited_to, latest.ended_by = None, None
        session.add(latest)
        change = RosterChange.REINVITED
    else:
        session.add(Invitation(body_id=body.id, invited_from=day, invited_by=actor))
        change = RosterChange.INVITED if latest is None else RosterChange.REINVITED
    audit(
        session=session,
        now=now,
        actor=actor,
        action="roster.invite",
        subject=f"body:{body.id}",
        after={"code": body.code, "from": day.isoformat()},
    )
    session.flush()
    return RosterResult(change, body)


def uninvite_body(
    *, session: Session, code: str, last_day: date, actor: str, now: datetime
) -> RosterResult:
    """End a body's invitation after `last_day`; the history of past weeks is kept."""
    body = body_by_code(session=session, code=code)
    if body is None:
        return RosterResult(RosterChange.UNKNOWN_BODY)
    assert body.id is not None
    latest = _latest_invitation(session, body.id)
    if latest is None or latest.invited_to is not None:
        return RosterResult(RosterChange.NOT_INVITED, body)
    if latest.invited_from > last_day:
        # Invited and uninvited before any meeting it was expected at: nothing to keep.
        session.delete(latest)
    else:
        latest.invited_to, latest.ended_by = last_day, actor
        session.add(latest)
    audit(
        session=session,
        now=now,
        actor=actor,
        action="roster.uninvite",
        subject=f"body:{body.id}",
        before={"code": body.code, "from": latest.invited_from.isoformat()},
        after={"last_day": last_day.isoformat()},
    )
    session.flush()
    return RosterResult(RosterChange.UNINVITED, body)


def roster(*, session: Session) -> list[RosterEntry]:
    """Every body known, by code, with its latest invitation and its number of members."""
    periods = invitations(session=session)
    counts: dict[int, int] = {}
    for member in session.exec(select(Member).where(col(Member.removed_at).is_(None))):
        counts[member.body_id] = counts.get(member.body_id, 0) + 1
    entries = []
    for body in session.exec(select(Body).order_by(col(Body.code))):
        assert body.id is not None
        history = periods.get(body.id)
        start, end = history[-1] if history else (None, None)
        entries.append(RosterEntry(body, start, end, counts.get(body.id, 0)))
    return entries


def invite_days(*, session: Session, channel: str, today: date) -> tuple[date, date]:
    """The first day a body invited now is expected, and the last day one uninvited now was.

    A briefing already closed today is over: a new invitation starts tomorrow. A briefing held
    (or open) today still counts for a body uninvited now; otherwise its last day was yesterday.
    """
    briefing = get_briefing(session=session, channel=channel, day=today)
    held = briefing is not None and briefing.opened_at is not None
    closed = held and briefing is not None and briefing.status == "closed"
    one_day = timedelta(days=1)
    return (today + one_day if closed else today), (today if held else today - one_day)
