"""The day's state, as /dbm status, /dbm open and the App Home all give it (meeting/day.py)."""

from __future__ import annotations

from datetime import datetime

from meeting.home import TodayBriefing, today_briefing
from meeting.status import DayStatus, day_status
from service.deps import Deps
from storage.db import session_scope


def status_of(deps: Deps, *, now: datetime) -> DayStatus:
    """Today's meeting: its state, its roll call and, once closed, what its digest holds."""
    with session_scope(deps.engine) as session:
        return day_status(
            session=session,
            channel=deps.channel,
            now=now,
            meeting=deps.settings.meeting,
            threats=deps.settings.threats,
        )


def today_of(deps: Deps, *, now: datetime) -> TodayBriefing:
    """Today's meeting: where it stands, and its thread once there is one."""
    with session_scope(deps.engine) as session:
        return today_briefing(
            session=session, channel=deps.channel, now=now, meeting=deps.settings.meeting
        )
