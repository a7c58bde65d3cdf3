"""Meeting days: weekdays that are not bank holidays of the configured UK calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from config.settings import CALENDARS


@lru_cache(maxsize=64)
def _holidays(calendar: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv=CALENDARS[calendar], years=year))


def bank_holiday(day: date, calendar: str) -> str | None:
    """The bank holiday's name if `day` is one in the calendar, else None."""
    return _holidays(calendar, day.year).get(day)


def is_weekday_meeting(day: date, calendar: str) -> bool:
    """True for a weekday that is not a bank holiday (stand-downs are checked separately)."""
    return day.weekday() < 5 and bank_holiday(day, calendar) is None


def local_date(now: datetime, zone: ZoneInfo) -> date:
    """The UK local date of an aware instant."""
    return now.astimezone(zone).date()


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware instant of a local wall-clock time on a day (correct across GMT/BST)."""
    return datetime.combine(day, at, tzinfo=zone)


def week_days(year: int, week: int) -> list[date]:
    """Monday to Friday of an ISO week."""
    monday = date.fromisocalendar(year, week, 1)
    return [monday + timedelta(days=offset) for offset in range(5)]
