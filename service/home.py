"""What a person's App Home shows: today's briefing, their body's week, their updates."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from blocks.home import GuidanceState, HomeView
from meeting.guidance import current_version, has_acknowledged
from meeting.home import roll_call, today_briefing, updates_today, week_attendance
from service.deps import Deps
from service.guidance import guidance_link
from service.opening import permalink
from storage.db import session_scope


def _guidance_state(deps: Deps, client: WebClient, user_id: str) -> GuidanceState:
    with session_scope(deps.engine) as session:
        version = current_version(session=session)
        if version is None or version.id is None:
            return GuidanceState()
        acked = has_acknowledged(session=session, user_id=user_id, version_id=version.id)
    return GuidanceState(version.published_at, acked, guidance_link(deps, client))


def home_of(
    deps: Deps, client: WebClient, user_id: str, *, now: datetime, notice: str | None = None
) -> HomeView:
    """The App Home of one person (with the roll call for chairs)."""
    chair = deps.chairs.is_chair(user_id, client)
    meeting = deps.settings.meeting
    with session_scope(deps.engine) as session:
        today = today_briefing(session=session, channel=deps.channel, now=now, meeting=meeting)
        weeks = week_attendance(
            session=session, user_id=user_id, channel=deps.channel, now=now, meeting=meeting
        )
        updates = updates_today(session=session, user_id=user_id, briefing_id=today.briefing_id)
        lines = (
            roll_call(session=session, briefing_id=today.briefing_id, day=today.day)
            if chair
            else []
        )
    return HomeView(
        zone=meeting.timezone,
        today=today,
        thread_url=permalink(client, today.channel_id, today.thread_ts),
        weeks=tuple(weeks),
        updates=tuple(updates),
        guidance=_guidance_state(deps, client, user_id),
        roll_call=tuple(lines) if chair else None,
        notice=notice,
    )
