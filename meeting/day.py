"""The state of the day's meeting, stated once: /dbm status, /dbm open and the App Home all read
it from here, so they agree in every case.

A meeting day (a weekday that is not a bank holiday or stood down) goes NOT_YET → (LATE) →
OPENING → OPEN → CLOSED. LATE: the opening time has passed without a briefing but the bot
would still open it on a start within `grace_minutes` (as bot/jobs.catch_up_open does);
after that it is MISSED and only a chair opens it. On a weekend, bank holiday or stand-down it is
NO_MEETING, unless a chair opened an extra session: then that session's state, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from config.settings import MeetingSettings
from meeting.briefings import (
    STALE_CLAIM,
    NoMeeting,
    get_briefing,
    open_briefing,
    why_no_meeting,
)
from meeting.calendar import local_date, local_instant
from storage.models import Briefing


class DayPhase(StrEnum):
    """Where the day's meeting stands."""

    NOT_YET = "not_yet"  # before the opening time
    LATE = "late"  # the opening time passed, no briefing yet; still within the grace
    OPENING = "opening"  # claimed: the header is being posted (a stale claim does not count)
    OPEN = "open"
    CLOSED = "closed"
    NO_MEETING = "no_meeting"  # weekend, bank holiday or stand-down
    MISSED = "missed"  # the grace passed with no briefing: only a chair opens it now


@dataclass(frozen=True)
class DayTimes:
    """The day's timetable as instants."""

    opens_at: datetime
    call_at: datetime
    closes_at: datetime
    grace_until: datetime


@dataclass(frozen=True)
class DayState:
    """The day's meeting: its phase, why there is none, its timetable, and its briefing."""

    day: date
    phase: DayPhase
    times: DayTimes
    no_meeting: NoMeeting | None = None
    briefing: Briefing | None = None
    left_open: date | None = None  # an earlier briefing of the channel is still open

    @property
    def extra(self) -> bool:
        """True for an extra session a chair opened on a day without a scheduled meeting."""
        return self.briefing is not None and self.briefing.kind == "extra"


def day_times(day: date, meeting: MeetingSettings) -> DayTimes:
    """The timetable of a day (correct across GMT and BST)."""
    zone = meeting.timezone
    opens = local_instant(day, meeting.open_time, zone)
    return DayTimes(
        opens_at=opens,
        call_at=local_instant(day, meeting.call_time, zone),
        closes_at=local_instant(day, meeting.close_time, zone),
        grace_until=opens + timedelta(minutes=meeting.grace_minutes),
    )


_BRIEFING_PHASES = {"claimed": DayPhase.OPENING, "open": DayPhase.OPEN, "closed": DayPhase.CLOSED}


def _phase(
    briefing: Briefing | None, why: NoMeeting | None, times: DayTimes, now: datetime
) -> DayPhase:
    stale = (
        briefing is not None
        and briefing.status == "claimed"
        and (now - briefing.claimed_at >= STALE_CLAIM)
    )
    if briefing is not None and not stale:  # a stale claim's process died: open it again
        return _BRIEFING_PHASES.get(briefing.status, DayPhase.OPENING)
    if why is not None:
        return DayPhase.NO_MEETING
    if now < times.opens_at:
        return DayPhase.NOT_YET
    return DayPhase.LATE if now <= times.grace_until else DayPhase.MISSED


def day_state(
    *, session: Session, channel: str, now: datetime, meeting: MeetingSettings
) -> DayState:
    """The state of today's meeting (UK date of `now`) in a channel."""
    day = local_date(now, meeting.timezone)
    briefing = get_briefing(session=session, channel=channel, day=day)
    why = why_no_meeting(session=session, day=day, calendar=meeting.bank_holidays)
    times = day_times(day, meeting)
    still_open = open_briefing(session=session, channel=channel)
    left_open = still_open.meeting_date if still_open and still_open.meeting_date < day else None
    return DayState(day, _phase(briefing, why, times, now), times, why, briefing, left_open)
