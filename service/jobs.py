"""Scheduled jobs of the foundation: open the day's briefing, and catch up after downtime."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient

from meeting.briefings import get_briefing, no_meeting_reason
from meeting.calendar import local_date, local_instant
from service.deps import Deps
from service.opening import OpenResult, open_briefing_now
from service.renewals import prompt_raisers
from storage.db import session_scope

log = logging.getLogger(__name__)


def run_open_briefing(
    deps: Deps, client: WebClient, now: datetime | None = None
) -> OpenResult | None:
    """The 08:30 job: open today's briefing unless it is a weekend, bank holiday or stand-down."""
    now = now or deps.clock()
    meeting = deps.settings.meeting
    day = local_date(now, meeting.timezone)
    with session_scope(deps.engine) as session:
        reason = no_meeting_reason(session=session, day=day, calendar=meeting.bank_holidays)
    if reason is not None:
        log.info("no briefing on %s: %s", day.isoformat(), reason)
        return None
    result = open_briefing_now(deps, client, now=now, opened_by="scheduler")
    prompt_raisers(deps, client, result.briefing, now)  # once each, even if it ran before
    return result


def catch_up_open(deps: Deps, client: WebClient, now: datetime | None = None) -> OpenResult | None:
    """On start: open today's briefing if its time passed while the bot was down, within grace."""
    now = now or deps.clock()
    meeting = deps.settings.meeting
    day = local_date(now, meeting.timezone)
    due = local_instant(day, meeting.open_time, meeting.timezone)
    with session_scope(deps.engine) as session:
        existing = get_briefing(session=session, channel=deps.channel, day=day)
    if existing is not None and existing.status == "claimed":
        # A run that died while opening it: its header is found in the channel and recorded,
        # or (not posted, claim stale) it is posted now.
        return open_briefing_now(deps, client, now=now, opened_by=existing.claimed_by)
    if existing is not None or now < due:
        return None
    with session_scope(deps.engine) as session:
        if no_meeting_reason(session=session, day=day, calendar=meeting.bank_holidays):
            return None
    if now - due > timedelta(minutes=meeting.grace_minutes):
        log.warning(
            "missed the %s briefing at %s: the bot was down and %d minutes of grace have passed; "
            "a chair can open it with /dbm open",
            day.isoformat(),
            meeting.open_time.strftime("%H:%M"),
            meeting.grace_minutes,
        )
        return None
    log.info("opening the %s briefing late: the bot was down at its time", day.isoformat())
    return run_open_briefing(deps, client, now)
