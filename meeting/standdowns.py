"""Stand-downs: a chair cancels a weekday's meeting in advance, with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from meeting.audit import record as audit
from meeting.briefings import get_briefing, stand_down
from meeting.calendar import bank_holiday
from storage.models import StandDown

MAX_REASON = 300
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class StandDownOutcome(StrEnum):
    """What a stand-down request did, or why it was refused."""

    STOOD_DOWN = "stood_down"
    REASON_CHANGED = "reason_changed"
    ALREADY = "already"
    CANCELLED = "cancelled"
    NOT_STOOD_DOWN = "not_stood_down"
    PAST = "past"
    WEEKEND = "weekend"
    BANK_HOLIDAY = "bank_holiday"
    BRIEFING_EXISTS = "briefing_exists"
    REASON_NEEDED = "reason_needed"
    REASON_TOO_LONG = "reason_too_long"


@dataclass(frozen=True)
class StandDownResult:
    """The outcome, with the bank holiday's name where that was the reason for refusing."""

    outcome: StandDownOutcome
    day: date
    holiday: str | None = None


def parse_day(text: str) -> date | None:
    """A date written UK style (dd/mm/yyyy) or ISO (yyyy-mm-dd); None if it is neither."""
    text = text.strip()
    uk, iso = _UK_DATE.match(text), _ISO_DATE.match(text)
    try:
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def _refusal(
    session: Session, *, day: date, today: date, calendar: str, channel: str
) -> StandDownResult | None:
    if day < today:
        return StandDownResult(StandDownOutcome.PAST, day)
    if day.weekday() >= 5:
        return StandDownResult(StandDownOutcome.WEEKEND, day)
    holiday = bank_holiday(day, calendar)
    if holiday is not None:
        return StandDownResult(StandDownOutcome.BANK_HOLIDAY, day, holiday)
    if get_briefing(session=session, channel=channel, day=day) is not None:
        return StandDownResult(StandDownOutcome.BRIEFING_EXISTS, day)
    return None


def stand_down_day(
    *,
    session: Session,
    day: date,
    reason: str,
    today: date,
    calendar: str,
    channel: str,
    actor: str,
    now: datetime,
) -> StandDownResult:
    """Stand down a future (or today's, not yet opened) weekday meeting; audited."""
    reason = " ".join(reason.split())
    if not reason:
        return StandDownResult(StandDownOutcome.REASON_NEEDED, day)
    if len(reason) > MAX_REASON:
        return StandDownResult(StandDownOutcome.REASON_TOO_LONG, day)
    refused = _refusal(session, day=day, today=today, calendar=calendar, channel=channel)
    if refused is not None:
        return refused
    existing = stand_down(session=session, day=day)
    if existing is not None and existing.reason == reason:
        return StandDownResult(StandDownOutcome.ALREADY, day)
    before = None if existing is None else {"reason": existing.reason}
    row = existing or StandDown(meeting_date=day, reason=reason, by_user=actor, created_at=now)
    row.reason, row.by_user = reason, actor
    session.add(row)
    audit(
        session=session,
        now=now,
        actor=actor,
        action="standdown.set",
        subject=f"date:{day.isoformat()}",
        before=before,
        after={"reason": reason},
    )
    session.flush()
    outcome = StandDownOutcome.STOOD_DOWN if existing is None else StandDownOutcome.REASON_CHANGED
    return StandDownResult(outcome, day)


def cancel_stand_down(
    *, session: Session, day: date, today: date, actor: str, now: datetime
) -> StandDownResult:
    """Put a stood-down future meeting back on; audited."""
    if day < today:
        return StandDownResult(StandDownOutcome.PAST, day)
    existing = stand_down(session=session, day=day)
    if existing is None:
        return StandDownResult(StandDownOutcome.NOT_STOOD_DOWN, day)
    audit(
        session=session,
        now=now,
        actor=actor,
        action="standdown.cancel",
        subject=f"date:{day.isoformat()}",
        before={"reason": existing.reason},
    )
    session.delete(existing)
    session.flush()
    return StandDownResult(StandDownOutcome.CANCELLED, day)


def stand_downs_between(*, session: Session, start: date, end: date) -> dict[date, str]:
    """Stand-down reasons of the days from start to end inclusive."""
    query = select(StandDown).where(
        col(StandDown.meeting_date) >= start, col(StandDown.meeting_date) <= end
    )
    return {row.meeting_date: row.reason for row in session.exec(query)}
