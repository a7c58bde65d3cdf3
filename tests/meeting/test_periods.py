"""Periods as people type them: every form, and one clear message for each kind of mistake."""

from __future__ import annotations

from datetime import date

import pytest

from meeting.periods import (
    Period,
    PeriodError,
    PeriodKind,
    parse_period,
    period_of_options,
    quarter_of,
    week_of,
)

TODAY = date(2026, 11, 25)  # a Wednesday in week 48, in November, in the fourth quarter
W48 = (date(2026, 11, 23), date(2026, 11, 29), "2026-W48", "week commencing Mon 23/11/2026")
NOV = (date(2026, 11, 1), date(2026, 11, 30), "2026-11", "November 2026")
Q4 = (
    date(2026, 10, 1), date(2026, 12, 31), "2026-Q4", "October to December 2026 (2026-Q4)",
)  # fmt: skip
RANGE = (date(2026, 10, 1), date(2026, 12, 31), "2026-10-01-to-2026-12-31")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", W48), ("this", W48), ("This Week", W48), ("2026-W48", W48), ("2026w48", W48),
        ("25/11/2026", W48), ("29/11/2026", W48), ("2026-11-23", W48), ("1/12/2026", None),
        ("last", (date(2026, 11, 16), date(2026, 11, 22), "2026-W47", None)),
        ("2026-11", NOV), ("11/2026", NOV), ("Nov 2026", NOV), ("November 2026", NOV),
        ("nov. 2026", NOV), ("this month", NOV),
        ("last month", (date(2026, 10, 1), date(2026, 10, 31), "2026-10", "October 2026")),
        ("2026-Q4", Q4), ("2026q4", Q4), ("Q4 2026", Q4), ("this quarter", Q4),
        ("last quarter", (date(2026, 7, 1), date(2026, 9, 30), "2026-Q3", None)),
        ("--from 01/10/2026 --to 31/12/2026", RANGE), ("01/10/2026 to 31/12/2026", RANGE),
        ("from 2026-10-01 to 2026-12-31", RANGE), ("-from 1/10/2026 -to 31/12/2026", RANGE),
    ],
)  # fmt: skip
def test_every_form_people_type(text: str, expected: tuple[object, ...] | None) -> None:
    period = parse_period(text, TODAY)
    if expected is None:  # 1/12/2026 is in week 49
        assert period == week_of(date(2026, 12, 1)) and period.key == "2026-W49"
        return
    first, last, key, *title = expected
    assert (period.first, period.last, period.key) == (first, last, key)
    if title and title[0]:
        assert period.title == title[0]


def test_a_range_is_titled_with_its_dates() -> None:
    period = parse_period("--from 01/10/2026 --to 31/12/2026", TODAY)
    assert period.title == "01/10/2026 to 31/12/2026" and period.kind is PeriodKind.RANGE
    assert period.days == 92


def test_weeks_and_quarters_at_the_turn_of_the_year() -> None:
    assert parse_period("last", date(2027, 1, 4)).key == "2026-W53"
    assert parse_period("2026-W53", TODAY).last == date(2027, 1, 3)
    assert parse_period("last quarter", date(2027, 2, 1)) == quarter_of(date(2026, 12, 1))
    assert parse_period("last month", date(2027, 1, 31)).title == "December 2026"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9999-W52", "9999 is out of range: give a year from 2000 to 2099."),
        ("2026-W60", "2026 has no week 60: its weeks run from W01 to W53."),
        ("2027-W53", "2027 has no week 53: its weeks run from W01 to W52."),
        ("2026-W00", "2026 has no week 0"),
        ("2026-13", "There is no month 13: months run from 01 to 12."),
        ("Smarch 2026", "`smarch` is not a month"),
        ("2026-Q5", "There is no quarter Q5: quarters run from Q1 to Q4."),
        ("31/02/2026", "`31/02/2026` is not a date: write it day first"),
        ("03/04", "`03/04` has no year: write it in full, like 03/04/2026."),
        ("next", "`next` is not a period I know: give a week (`2026-W48`"),
        ("--from 01/10/2026", "Give both ends of the period"),
        ("31/12/2026 to 01/10/2026", "The period ends (01/10/2026) before it starts (31/12/2026)"),
        ("01/01/2025 to 31/12/2026", "is 730 days; a workbook covers at most 366 (a year)"),
        ("01/10/2026 to 31/13/2026", "`31/13/2026` is not a date"),
        ("tomorrow to 31/12/2026", "`tomorrow` (from) is not a date"),
        ("0001-W01", "0001 is out of range"),
    ],
)
def test_each_mistake_gets_one_specific_message(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, TODAY)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_year_is_the_longest_period() -> None:
    assert parse_period("01/01/2024 to 31/12/2024", TODAY).days == 366
    assert Period(date(2026, 1, 1), date(2026, 1, 1)).days == 1


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({}, "2026-W48"),
        ({"period": "2026-Q4"}, "2026-Q4"),
        ({"week": "last"}, "2026-W47"),
        ({"week": "25/11/2026"}, "2026-W48"),
        ({"month": "this"}, "2026-11"),
        ({"month": "Oct 2026"}, "2026-10"),
        ({"quarter": "last"}, "2026-Q3"),
        ({"first": "01/10/2026", "last": "31/12/2026"}, "2026-10-01-to-2026-12-31"),
    ],
)
def test_command_line_options(options: dict[str, str], key: str) -> None:
    assert period_of_options(TODAY, **options).key == key


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"week": "2026-11"}, "--week '2026-11': `2026-11` is not a week"),
        ({"month": "2026-Q4"}, "--month '2026-Q4': `2026-Q4` is not a month"),
        ({"quarter": "2026-W60"}, "--quarter '2026-W60': 2026 has no week 60"),
        ({"week": "2026-W48", "month": "2026-11"}, "Give one period, not --week and --month."),
        ({"first": "01/10/2026"}, "Give both ends of the period"),
        ({"first": "31/12/2026", "last": "01/10/2026"}, "--from/--to '31/12/2026': The period"),
    ],
)
def test_command_line_mistakes_name_the_option(options: dict[str, str], message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        period_of_options(TODAY, **options)
    assert message in str(caught.value)
