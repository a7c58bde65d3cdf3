"""UK-style times in update replies: "yesterday 22:40", "Thu 0600", "03/04 2240", "0130 BST".

Day first (03/04 is 3 April), 24-hour times with or without a colon, relative words and weekday
names resolved against the briefing date, Europe/London wall-clock time. A local time that
happens twice (clocks go back) or never (clocks go forward) is refused, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

Direction = Literal["past", "future"]
MAX_WHEN_LENGTH = 60
MONTHS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_WORDS = {
    **{name: i for i, name in enumerate(_DAYS)},
    **{name[:3]: i for i, name in enumerate(_DAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "yesterday morning": -1,
    "yesterday afternoon": -1,
    "yesterday evening": -1,
    "tomorrow": 1,
    "tomorrow morning": 1,
    "tomorrow afternoon": 1,
    "tomorrow evening": 1,
}
_WORD_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_COLON = re.compile(r"(?<![\d/.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])(?:\s*(?:hrs|hours|h)\b)?")
_DOT = re.compile(r"(?<![\d/.:])([01]?\d|2[0-3])\.([0-5]\d)\s*(?:hrs|hours|h)\b")
_AMPM = re.compile(r"(?<![\d:/.])(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*(am|pm)\b")
_HHMM = re.compile(r"(?<![\d:/.\-])([01]\d|2[0-3])([0-5]\d)(?![\d/.:\-])(\s*(?:hrs|hours|h)\b)?")
_ZONE_WORD = re.compile(r"\b(bst|gmt)\b")
_FILLER = re.compile(r"\b(?:at|on|from|around|approx|about|hrs|hours)\b|[,@~]")
_DAY_MONTH = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})(?:[/.\-]\d{2,4})?\b")


@dataclass(frozen=True)
class WhenProblem:
    """Why a time could not be read; `message` says it in plain words."""

    code: str
    message: str


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " + text[match.end() :]


def _year_word(text: str, start: int) -> bool:
    """A bare four-digit number right after a month name is a year, not a time."""
    before = text[:start].split()
    return bool(before) and before[-1][:3] in MONTHS


def take_time(text: str) -> tuple[time | None, str]:
    """The time of day in lower-cased text, and the text without it."""
    for word, at in _WORD_TIMES.items():
        match = re.search(rf"\b{word}\b", text)
        if match:
            return at, _cut(text, match)
    for pattern in (_COLON, _DOT):
        match = pattern.search(text)
        if match:
            return time(int(match[1]), int(match[2])), _cut(text, match)
    match = _AMPM.search(text)
    if match:
        hour = int(match[1]) % 12 + (12 if match[3] == "pm" else 0)
        return time(hour, int(match[2] or 0)), _cut(text, match)
    for match in reversed(list(_HHMM.finditer(text))):
        if match[3] or not _year_word(text, match.start()):
            return time(int(match[1]), int(match[2])), _cut(text, match)
    return None, text


def _resolve_weekday(index: int, base: date, direction: Direction, shift: str) -> date:
    """A weekday name means the most recent such day for events, the next for plans."""
    if direction == "past":
        back = (base.weekday() - index) % 7
        return base - timedelta(days=back or (7 if shift == "last" else 0))
    ahead = (index - base.weekday()) % 7
    return base + timedelta(days=ahead or (7 if shift == "next" else 0))


def _infer_year(month: int, day: int, base: date, direction: Direction) -> date | None:
    """A day and month without a year: the latest on or before the briefing date for events,
    the first on or after it for plans."""
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if direction == "past":
        return max((d for d in candidates if d <= base), default=None)
    return min((d for d in candidates if d >= base), default=None)


def _explicit_date(text: str, base: date, direction: Direction) -> date | WhenProblem:
    """A written date, day first; the year defaults to the one nearest the briefing."""
    numeric = _DAY_MONTH.search(text)
    if numeric and int(numeric[2]) > 12:
        return WhenProblem(
            "not_uk_date",
            f"`{numeric[0]}` is not a UK date: dates are day first, so "
            f"{numeric[2]}/{numeric[1]} may be what you meant",
        )
    try:
        first = dateparser.parse(text, dayfirst=True, default=datetime(2000, 1, 1))
        second = dateparser.parse(text, dayfirst=True, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError):
        return WhenProblem("unclear_date", "I could not read that date")
    if first.month != second.month or first.day != second.day:
        return WhenProblem("unclear_date", "give the day and the month, e.g. 03/04")
    if first.year != second.year:
        found = _infer_year(first.month, first.day, base, direction)
        return found or WhenProblem("unclear_date", "that date does not exist")
    if first.time() != time(0) or second.time() != time(0):
        return WhenProblem("unclear_date", "I could not tell the date from the time")
    return first.date()


def _date_part(text: str, base: date, direction: Direction) -> date | None | WhenProblem:
    """The day named in the text (None when only a time was given)."""
    words = " ".join(_FILLER.sub(" ", text).split())
    if not words:
        return None
    if words in RELATIVE_DAYS:
        return base + timedelta(days=RELATIVE_DAYS[words])
    shift, _, rest = words.partition(" ")
    if shift not in ("last", "next", "this"):
        shift, rest = "", words
    first, _, remainder = rest.partition(" ")
    weekday = WEEKDAY_WORDS.get(first.rstrip("."))
    if weekday is None:
        return _explicit_date(words, base, direction)
    if not remainder:
        return _resolve_weekday(weekday, base, direction, shift)
    day = _explicit_date(remainder, base, direction)
    if isinstance(day, date) and day.weekday() != weekday:
        return WhenProblem(
            "weekday_mismatch",
            f"{day.day} {day:%B %Y} is a {day:%A}, not a {_DAYS[weekday].title()}",
        )
    return day


def local_to_utc(
    day: date, at: time, zone: ZoneInfo, zone_word: str | None
) -> datetime | WhenProblem:
    """A local wall-clock time as an aware UTC instant, refusing DST gaps and overlaps."""
    naive = datetime.combine(day, at)
    early, late = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    shown = f"{at:%H:%M} on {day:%A} {day.day} {day:%B %Y}"
    if early.utcoffset() == late.utcoffset():
        return early.astimezone(UTC)
    if early.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return WhenProblem(
            "nonexistent_time",
            f"{shown} does not exist in UK time: the clocks go forward an hour that night",
        )
    if zone_word in ("bst", "gmt"):
        chosen = early if (early.tzname() or "").lower() == zone_word else late
        return chosen.astimezone(UTC)
    return WhenProblem(
        "ambiguous_time",
        f"{shown} happens twice in UK time (the clocks go back that night): "
        "add BST for the first or GMT for the second, e.g. `01:30 BST`",
    )


def parse_when(
    text: str, *, direction: Direction, base: date, now: datetime, zone: ZoneInfo
) -> datetime | WhenProblem:
    """An instant from UK-style text, resolved against the briefing date and `now`."""
    cleaned = " ".join(text.lower().replace("\u2013", "-").split()).strip(" .")
    if not cleaned or len(cleaned) > MAX_WHEN_LENGTH:
        return WhenProblem("unclear_date", "I could not read the time")
    zone_match = _ZONE_WORD.search(cleaned)
    zone_word = zone_match[1] if zone_match else None
    if zone_match:
        cleaned = _cut(cleaned, zone_match)
    at, rest = take_time(cleaned)
    if at is None:
        return WhenProblem("no_time", "give a time of day as well, 24-hour, e.g. 22:40 or 2240")
    day = _date_part(rest, base, direction)
    if isinstance(day, WhenProblem):
        return day
    if day is not None:
        return local_to_utc(day, at, zone, zone_word)
    today = now.astimezone(zone).date()
    found = local_to_utc(today, at, zone, zone_word)
    if isinstance(found, datetime) and direction == "past" and found > now:
        return local_to_utc(today - timedelta(days=1), at, zone, zone_word)
    if isinstance(found, datetime) and direction == "future" and found < now:
        return local_to_utc(today + timedelta(days=1), at, zone, zone_word)
    return found


@dataclass(frozen=True)
class WhenClock:
    """What times are resolved against: the briefing date, now and the UK zone."""

    briefing_date: date
    now: datetime
    zone: ZoneInfo

    def read(self, text: str, direction: Direction) -> datetime | WhenProblem:
        """An instant from UK-style text, weekdays and bare times read in one direction."""
        return parse_when(
            text, direction=direction, base=self.briefing_date, now=self.now, zone=self.zone
        )
