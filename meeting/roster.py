"""The roster: bodies, their invitation history, and who speaks for them."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from config.files import BodySeed
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
            external_team_ids=",".join(seed.external_team_ids),
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
    query = (
        select(Body)
        .join(Member, col(Member.body_id) == col(Body.id))
        .where(Member.slack_user_id == user_id, col(Member.removed_at).is_(None))
        .order_by(col(Body.code))
    )
    return list(session.exec(query))


def speaker_bodies(*, session: Session, user_id: str, team_id: str | None = None) -> list[Body]:
    """Bodies a person speaks for: their mappings, else their Slack Connect organisation's body."""
    mapped = member_bodies(session=session, user_id=user_id)
    if mapped or not team_id:
        return mapped
    return [
        body
        for body in session.exec(select(Body).order_by(col(Body.code)))
        if team_id in body.external_team_ids.split(",")
    ]
