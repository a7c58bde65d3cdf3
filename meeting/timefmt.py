"""UK-style display of dates and times (day first, 24-hour, GMT/BST shown)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def fmt_day(day: date) -> str:
    """Like "Monday 23 November 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def fmt_local(at: datetime, zone: ZoneInfo) -> str:
    """Like "Fri 20 Nov 08:30 GMT"."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M %Z}"


def fmt_time(at: datetime, zone: ZoneInfo) -> str:
    """Like "08:30"."""
    return f"{at.astimezone(zone):%H:%M}"


def fmt_stamp(at: datetime, zone: ZoneInfo) -> str:
    """Like "Mon 23/11/2026 08:30 GMT": a whole UK date and time, for operators."""
    return f"{at.astimezone(zone):%a %d/%m/%Y %H:%M %Z}"
