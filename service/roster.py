"""The roster: inviting and uninviting bodies, who speaks for them, and stand-downs."""

from __future__ import annotations

from datetime import date, datetime

from meeting.calendar import local_date
from meeting.members import add_member, list_members, remove_member
from meeting.roster import (
    RosterEntry,
    RosterResult,
    invite_body,
    invite_days,
    roster,
    uninvite_body,
)
from meeting.standdowns import StandDownResult, cancel_stand_down, stand_down_day
from service.deps import Deps
from storage.db import session_scope


def _today(deps: Deps, now: datetime) -> date:
    return local_date(now, deps.settings.meeting.timezone)


def invite(
    deps: Deps, *, code: str, name: str, actor: str, now: datetime
) -> tuple[RosterResult, date]:
    """Invite a body from today (from tomorrow once today's briefing closed): (result, day)."""
    with session_scope(deps.engine) as session:
        first, _ = invite_days(session=session, channel=deps.channel, today=_today(deps, now))
        result = invite_body(session=session, code=code, name=name, day=first, actor=actor, now=now)
    return result, first


def uninvite(deps: Deps, *, code: str, actor: str, now: datetime) -> tuple[RosterResult, date]:
    """End a body's invitation after its last day: (result, last day)."""
    with session_scope(deps.engine) as session:
        _, last = invite_days(session=session, channel=deps.channel, today=_today(deps, now))
        result = uninvite_body(session=session, code=code, last_day=last, actor=actor, now=now)
    return result, last


def list_roster(deps: Deps) -> list[RosterEntry]:
    """Every body, invited or not, with its invitations."""
    with session_scope(deps.engine) as session:
        return roster(session=session)


def map_member(deps: Deps, *, user_id: str, code: str, actor: str, now: datetime) -> RosterResult:
    """Say that a person speaks for a body."""
    with session_scope(deps.engine) as session:
        return add_member(session=session, user_id=user_id, code=code, actor=actor, now=now)


def unmap_member(deps: Deps, *, user_id: str, actor: str, now: datetime) -> RosterResult:
    """End every mapping of a person."""
    with session_scope(deps.engine) as session:
        return remove_member(session=session, user_id=user_id, actor=actor, now=now)


def members(deps: Deps, code: str | None) -> list[tuple[str, str, str]]:
    """(body code, body name, Slack user id) of everyone mapped (to one body, if a code)."""
    with session_scope(deps.engine) as session:
        return [(b.code, b.name, user) for b, user in list_members(session=session, code=code)]


def stand_down(
    deps: Deps, *, day: date, reason: str, cancel: bool, actor: str, now: datetime
) -> StandDownResult:
    """Stand down a day's meeting, or put it back on."""
    meeting = deps.settings.meeting
    with session_scope(deps.engine) as session:
        if cancel:
            return cancel_stand_down(
                session=session, day=day, today=_today(deps, now), actor=actor, now=now
            )
        return stand_down_day(
            session=session, day=day, reason=reason, today=_today(deps, now),
            calendar=meeting.bank_holidays, channel=deps.channel, actor=actor, now=now,
        )  # fmt: skip
