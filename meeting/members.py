"""Members: the Slack users who speak for a body, mapped by the chairs."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from meeting.audit import record as audit
from meeting.roster import RosterChange, RosterResult, bodies_by_id, body_by_code
from storage.models import Body, Member


def add_member(
    *, session: Session, user_id: str, code: str, actor: str, now: datetime
) -> RosterResult:
    """Map a Slack user to a body (a removed mapping is restored); audited."""
    body = body_by_code(session=session, code=code)
    if body is None:
        return RosterResult(RosterChange.UNKNOWN_BODY)
    assert body.id is not None
    query = select(Member).where(Member.slack_user_id == user_id, Member.body_id == body.id)
    member = session.exec(query).first()
    if member is not None and member.removed_at is None:
        return RosterResult(RosterChange.ALREADY_MEMBER, body)
    member = member or Member(slack_user_id=user_id, body_id=body.id, added_by=actor, added_at=now)
    member.removed_at, member.added_by, member.added_at = None, actor, now
    session.add(member)
    audit(
        session=session,
        now=now,
        actor=actor,
        action="roster.member_add",
        subject=f"user:{user_id}",
        after={"body": body.code},
    )
    session.flush()
    return RosterResult(RosterChange.ADDED, body)


def remove_member(*, session: Session, user_id: str, actor: str, now: datetime) -> RosterResult:
    """End every current mapping of a Slack user; audited."""
    query = select(Member).where(Member.slack_user_id == user_id, col(Member.removed_at).is_(None))
    current = list(session.exec(query))
    if not current:
        return RosterResult(RosterChange.NOT_MEMBER)
    codes = {i: b.code for i, b in bodies_by_id(session=session).items()}
    for member in current:
        member.removed_at = now
        session.add(member)
    audit(
        session=session,
        now=now,
        actor=actor,
        action="roster.member_remove",
        subject=f"user:{user_id}",
        before={"bodies": sorted(codes.get(m.body_id, "?") for m in current)},
    )
    session.flush()
    return RosterResult(RosterChange.REMOVED, count=len(current))


def list_members(*, session: Session, code: str | None = None) -> list[tuple[Body, str]]:
    """Current (body, Slack user id) mappings, by body code then user, for one body or all."""
    query = (
        select(Body, Member.slack_user_id)
        .join(Member, col(Member.body_id) == col(Body.id))
        .where(col(Member.removed_at).is_(None))
        .order_by(col(Body.code), col(Member.slack_user_id))
    )
    if code is not None:
        query = query.where(Body.code == code.strip().upper())
    return [(body, user) for body, user in session.exec(query)]


def members_of(*, session: Session, body_ids: list[int]) -> dict[int, list[str]]:
    """Current members' Slack user ids of some bodies, by body id."""
    found: dict[int, list[str]] = {}
    query = (
        select(Member)
        .where(col(Member.body_id).in_(body_ids), col(Member.removed_at).is_(None))
        .order_by(col(Member.slack_user_id))
    )
    for member in session.exec(query):
        found.setdefault(member.body_id, []).append(member.slack_user_id)
    return found
