"""Meeting days and the scheduler's trigger across GMT/BST changes and bank holidays."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from meeting.calendar import bank_holiday, is_weekday_meeting, local_instant, week_days

LONDON = ZoneInfo("Europe/London")


def test_weekend_and_bank_holidays_are_not_meeting_days() -> None:
    assert is_weekday_meeting(date(2026, 11, 23), "england-and-wales")
    assert not is_weekday_meeting(date(2026, 11, 21), "england-and-wales")
    assert not is_weekday_meeting(date(2026, 12, 25), "england-and-wales")
    assert bank_holiday(date(2026, 8, 31), "england-and-wales") is not None


def test_calendars_differ_by_nation() -> None:
    st_andrews = date(2026, 11, 30)
    assert bank_holiday(st_andrews, "scotland") is not None
    assert bank_holiday(st_andrews, "england-and-wales") is None
    st_patricks = date(2026, 3, 17)
    assert bank_holiday(st_patricks, "northern-ireland") is not None
    assert bank_holiday(st_patricks, "scotland") is None


def test_local_instant_is_0830_wall_clock_either_side_of_the_change() -> None:
    before = local_instant(date(2026, 3, 27), time(8, 30), LONDON)
    after = local_instant(date(2026, 3, 30), time(8, 30), LONDON)
    assert before.astimezone(UTC).hour == 8
    assert after.astimezone(UTC).hour == 7


def test_week_days_are_monday_to_friday_of_the_iso_week() -> None:
    days = week_days(2026, 47)
    assert days[0] == date(2026, 11, 16) and days[-1] == date(2026, 11, 20)


def test_trigger_fires_at_0830_local_across_the_october_change() -> None:
    trigger = CronTrigger(day_of_week="mon-fri", hour=8, minute=30, timezone=LONDON)
    fired: list[datetime] = []
    previous = None
    now = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)
    for _ in range(5):
        next_time = trigger.get_next_fire_time(previous, now)
        assert next_time is not None
        fired.append(next_time)
        previous, now = next_time, next_time
    assert [f.astimezone(LONDON).strftime("%a %H:%M") for f in fired] == [
        "Fri 08:30",
        "Mon 08:30",
        "Tue 08:30",
        "Wed 08:30",
        "Thu 08:30",
    ]
    assert [f.astimezone(UTC).hour for f in fired] == [7, 8, 8, 8, 8]
