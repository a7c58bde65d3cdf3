"""The roll call: answers from the header's buttons, chairs' overrides and the status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from meeting.attendance import Answer, State, answer_roll_call, override
from meeting.briefings import get_briefing, open_briefing
from service.deps import Deps
from storage.db import session_scope


@dataclass(frozen=True)
class Press:
    """A press of a roll-call button on a briefing header."""

    channel: str
    message_ts: str
    user_id: str
    team_id: str | None
    state: State


def answer_press(deps: Deps, press: Press, *, now: datetime) -> Answer:
    """Record a roll-call press for the presser's bodies (one transaction)."""
    with session_scope(deps.engine) as session:
        return answer_roll_call(
            session=session,
            channel=press.channel,
            message_ts=press.message_ts,
            user_id=press.user_id,
            team_id=press.team_id,
            state=press.state,
            now=now,
        )


def override_state(
    deps: Deps, *, code: str, state: State, day: date | None, actor: str, now: datetime
) -> Answer | None:
    """A chair records a body's state at the open briefing (or a day's); None if there is no
    such briefing."""
    with session_scope(deps.engine) as session:
        briefing = (
            open_briefing(session=session, channel=deps.channel)
            if day is None
            else get_briefing(session=session, channel=deps.channel, day=day)
        )
        if briefing is None or briefing.opened_at is None:
            return None
        return override(
            session=session, briefing=briefing, code=code, state=state, actor=actor, now=now
        )
