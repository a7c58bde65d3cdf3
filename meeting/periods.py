"""Periods a workbook covers (a week, a month, a quarter, or from one date to another), and
what people type for them: UK dates day first, ISO accepted too."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from meeting.week import IsoWeek

# The years a period may fall in: wide enough for any record, narrow enough that every date
# the workbook computes (the week after, a bank-holiday calendar) exists.
FIRST_YEAR, LAST_YEAR = 2000, 2099
# One workbook covers at most a year: its attendance sheet has a column per meeting day.
MAX_DAYS = 366
EXAMPLES = (
    "a week (`2026-W48`, or a date in it like `25/11/2026`), a month (`2026-11` or `Nov 2026`), "
    "a quarter (`2026-Q4`), or `--from 01/10/2026 --to 31/12/2026`"
)
KIND_EXAMPLES = {
    "week": "a week like `2026-W48`, or a date in it like `25/11/2026`",
    "month": "a month like `2026-11` or `Nov 2026`",
    "quarter": "a quarter like `2026-Q4`",
}
_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})/(\d{4})$")
_NAMED_MONTH = re.compile(r"^([a-z]+)\.?[\s-]+(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?q(\d)$|^q(\d)[\s-]+(\d{4})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NO_YEAR = re.compile(r"^\d{1,2}/\d{1,2}$")
_RANGE = re.compile(r"^(?:--?from\s+|from\s+)?(\S+)\s+(?:--?to|to|until)\s+(\S+)$")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9


class PeriodError(ValueError):
    """Text that is not a period; the message says what was wrong, for the person who typed it."""


class PeriodKind(StrEnum):
    """How a period was given."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    """The days from `first` to `last` inclusive, and how people name them."""

    first: date
    last: date
    kind: PeriodKind = PeriodKind.RANGE

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.last - self.first).days + 1

    @property
    def key(self) -> str:
        """A short name for files and records: 2026-W48, 2026-11, 2026-Q4, 2026-10-01-to-…"""
        if self.kind is PeriodKind.WEEK:
            return IsoWeek.of(self.first).label
        if self.kind is PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first:%Y-%m-%d}-to-{self.last:%Y-%m-%d}"

    @property
    def title(self) -> str:
        """The period in words: "week commencing Mon 23/11/2026", "November 2026", …"""
        if self.kind is PeriodKind.WEEK:
            return f"week commencing {self.first:%a %d/%m/%Y}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.first:%B %Y}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.first:%B} to {self.last:%B %Y} ({self.key})"
        return f"{self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}"

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as instants: local midnight at its start, and after its last day."""
        end = self.last + timedelta(days=1)
        return datetime.combine(self.first, time(), zone), datetime.combine(end, time(), zone)


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) a day falls in."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6), PeriodKind.WEEK)


def month_of(day: date) -> Period:
    """The calendar month a day falls in."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), PeriodKind.MONTH)


def quarter_of(day: date) -> Period:
    """The calendar quarter (January to March, …) a day falls in."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = month_of(date(first.year, first.month + 2, 1)).last
    return Period(first, end, PeriodKind.QUARTER)


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{text} is out of range: give a year from {FIRST_YEAR} to {LAST_YEAR}.")
    return year


def _date(text: str) -> date | None:
    """A date written UK style (25/11/2026) or ISO (2026-11-25); None if it is neither;
    PeriodError if it has the shape of one but no such day exists."""
    uk, iso = _UK_DATE.match(text), _ISO_DATE.match(text)
    if uk is None and iso is None:
        return None
    day, month, year = (uk[1], uk[2], uk[3]) if uk else (iso[3], iso[2], iso[1])  # type: ignore[index]
    try:
        return date(_year(year), int(month), int(day))
    except ValueError:
        raise PeriodError(f"`{text}` is not a date: write it day first, like 25/11/2026.") from None


def _week(match: re.Match[str]) -> Period:
    year, week = _year(match[1]), int(match[2])
    weeks = date(year, 12, 28).isocalendar().week
    if not 1 <= week <= weeks:
        raise PeriodError(f"{year} has no week {week}: its weeks run from W01 to W{weeks}.")
    return week_of(date.fromisocalendar(year, week, 1))


def _month(year: str, month: str) -> Period:
    number = int(month)
    if not 1 <= number <= 12:
        raise PeriodError(f"There is no month {month}: months run from 01 to 12.")
    return month_of(date(_year(year), number, 1))


def _quarter(year: str, quarter: str) -> Period:
    number = int(quarter)
    if not 1 <= number <= 4:
        raise PeriodError(f"There is no quarter Q{quarter}: quarters run from Q1 to Q4.")
    return quarter_of(date(_year(year), 3 * number - 2, 1))


def _relative(text: str, today: date) -> Period | None:
    words = text.split()
    if not words or words[0] not in ("this", "last") or len(words) > 2:
        return None
    unit = words[1] if len(words) == 2 else "week"
    back = words[0] == "last"
    if unit == "week":
        return week_of(today - timedelta(days=7 if back else 0))
    if unit == "month":
        return month_of(today.replace(day=1) - timedelta(days=1) if back else today)
    if unit == "quarter":
        first = quarter_of(today).first
        return quarter_of(first - timedelta(days=1) if back else today)
    return None


def _named(text: str) -> Period | None:
    """A week, month or quarter written in one of its forms; None if it is none of them."""
    if week := _WEEK.match(text):
        return _week(week)
    if month := _MONTH.match(text):
        return _month(month[1] or month[4], month[2] or month[3])
    if named := _NAMED_MONTH.match(text):
        number = _MONTHS.get(named[1])
        if number is None:
            raise PeriodError(f"`{named[1]}` is not a month: write it like Nov 2026 or 2026-11.")
        return month_of(date(_year(named[2]), number, 1))
    if quarter := _QUARTER.match(text):
        return _quarter(quarter[1] or quarter[4], quarter[2] or quarter[3])
    day = _date(text)
    return None if day is None else week_of(day)


def between(first: date, last: date) -> Period:
    """The days from first to last; PeriodError if it ends before it starts or is too long."""
    if last < first:
        raise PeriodError(
            f"The period ends ({last:%d/%m/%Y}) before it starts ({first:%d/%m/%Y}): "
            "give the earlier date first."
        )
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise PeriodError(
            f"{first:%d/%m/%Y} to {last:%d/%m/%Y} is {period.days} days; a workbook covers at "
            f"most {MAX_DAYS} (a year): ask for it a year or a quarter at a time."
        )
    return period


def _range_end(text: str, which: str) -> date:
    day = _date(text)
    if day is None:
        raise PeriodError(
            f"`{text}` ({which}) is not a date: write it day first, like 01/10/2026 "
            "(or 2026-10-01)."
        )
    return day


def period_between(first: str, last: str) -> Period:
    """A period typed as two dates, e.g. --from 01/10/2026 --to 31/12/2026."""
    return between(_range_end(first.strip(), "from"), _range_end(last.strip(), "to"))


def parse_period(text: str, today: date, *, kind: PeriodKind | None = None) -> Period:
    """What someone typed for a period (this week when empty); PeriodError saying what is wrong.

    With `kind`, only that kind is accepted (the CLI's --week, --month, --quarter); `this` and
    `last` then mean this or last one of that kind.
    """
    typed = " ".join(text.split())
    text = typed.lower()
    if kind is not None and text in ("", "this", "last"):
        text = f"{text or 'this'} {kind.value}"
    period = _relative(text or "this", today)
    if period is None and (match := _RANGE.match(text)):
        period = period_between(match[1], match[2])
    if period is None:
        period = _named(text)
    if period is None:
        raise PeriodError(_unknown(typed))
    if kind is not None and period.kind is not kind:
        raise PeriodError(f"`{typed}` is not a {kind.value}: give {KIND_EXAMPLES[kind.value]}.")
    return period


def _unknown(typed: str) -> str:
    if _NO_YEAR.match(typed):
        return f"`{typed}` has no year: write it in full, like {typed}/2026."
    if typed.lower().startswith(("--from", "from", "--to", "to ")):
        return "Give both ends of the period: `--from 01/10/2026 --to 31/12/2026`."
    return f"`{typed}` is not a period I know: give {EXAMPLES}."


OPTION_KINDS = {
    "--week": PeriodKind.WEEK,
    "--month": PeriodKind.MONTH,
    "--quarter": PeriodKind.QUARTER,
}


def period_of_options(
    today: date,
    *,
    period: str | None = None,
    week: str | None = None,
    month: str | None = None,
    quarter: str | None = None,
    first: str | None = None,
    last: str | None = None,
) -> Period:
    """The one period given as command-line options (this week if none); PeriodError naming the
    option at fault."""
    given = {
        name: value
        for name, value in (("PERIOD", period), ("--week", week), ("--month", month),
                            ("--quarter", quarter), ("--from/--to", first or last))
        if value is not None
    }  # fmt: skip
    if len(given) > 1:
        raise PeriodError(f"Give one period, not {' and '.join(given)}.")
    if (first is None) != (last is None):
        raise PeriodError("Give both ends of the period: --from 01/10/2026 --to 31/12/2026.")
    for name, value in given.items():
        try:
            if name == "--from/--to":
                return period_between(first or "", last or "")
            return parse_period(value, today, kind=OPTION_KINDS.get(name))
        except PeriodError as exc:
            raise PeriodError(f"{name} {value!r}: {exc}") from None
    return week_of(today)
