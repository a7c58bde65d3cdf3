"""What a person's App Home shows: today's briefing, their body's week, their updates; for
chairs the roll call and the running order; for anyone outside the meeting, how to join it."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from blocks.home import GuidanceState, HomeView
from meeting.guidance import current_version, has_acknowledged
from meeting.home import roll_call, today_briefing, updates_today, week_attendance
from meeting.running_order import RunningOrder, build_running_order
from service.access import briefing_access
from service.deps import Deps
from service.guidance import guidance_link
from service.opening import permalink
from storage.db import session_scope
from storage.models import Briefing


def _guidance_state(deps: Deps, client: WebClient, user_id: str) -> GuidanceState:
    with session_scope(deps.engine) as session:
        version = current_version(session=session)
        if version is None or version.id is None:
            return GuidanceState()
        acked = has_acknowledged(session=session, user_id=user_id, version_id=version.id)
    return GuidanceState(version.published_at, acked, guidance_link(deps, client))


def _running_order(deps: Deps, briefing_id: int | None, status: str) -> RunningOrder | None:
    if briefing_id is None or status != "open":
        return None
    with session_scope(deps.engine) as session:
        briefing = session.get(Briefing, briefing_id)
        if briefing is None:
            return None
        threats = deps.settings.threats
        return build_running_order(session=session, briefing=briefing, threats=threats)


def home_of(
    deps: Deps, client: WebClient, user_id: str, *, now: datetime, notice: str | None = None
) -> HomeView:
    """The App Home of one person (with the roll call and running order for chairs)."""
    access = briefing_access(deps, client, user_id=user_id, team_id=None, now=now)
    chair = access.viewer.is_chair
    meeting = deps.settings.meeting
    with session_scope(deps.engine) as session:
        today = today_briefing(session=session, channel=deps.channel, now=now, meeting=meeting)
        if not access.allowed:
            return HomeView(meeting.timezone, today, allowed=False, notice=notice)
        weeks = week_attendance(
            session=session, user_id=user_id, channel=deps.channel, now=now, meeting=meeting
        )
        updates = updates_today(session=session, user_id=user_id, briefing_id=today.briefing_id)
        lines = roll_call(session=session, briefing_id=today.briefing_id, day=today.day)
    return HomeView(
        zone=meeting.timezone,
        today=today,
        thread_url=permalink(client, today.channel_id, today.thread_ts),
        weeks=tuple(weeks),
        updates=tuple(updates),
        guidance=_guidance_state(deps, client, user_id),
        roll_call=tuple(lines) if chair else None,
        running_order=_running_order(deps, today.briefing_id, today.status) if chair else None,
        notice=notice,
    )
