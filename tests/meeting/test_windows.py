"""Reporting windows: at least 24 hours back, to the previous briefing; 72 hours ahead."""

from datetime import UTC, datetime, timedelta

from meeting.windows import events_from, plans_until, windows_for

MON = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
FRI = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_first_briefing_looks_back_24_hours() -> None:
    assert events_from(MON, None) == MON - timedelta(hours=24)


def test_monday_looks_back_to_fridays_briefing() -> None:
    assert events_from(MON, FRI) == FRI


def test_previous_briefing_within_24_hours_still_gives_24_hours() -> None:
    earlier_today = MON - timedelta(hours=2)
    assert events_from(MON, earlier_today) == MON - timedelta(hours=24)


def test_lookback_hours_is_a_setting() -> None:
    assert events_from(MON, None, lookback_hours=36) == MON - timedelta(hours=36)


def test_plans_look_ahead_72_hours() -> None:
    assert plans_until(MON) == datetime(2026, 11, 26, 8, 30, tzinfo=UTC)


def test_windows_bounds_are_inclusive_and_events_not_in_future() -> None:
    windows = windows_for(MON, FRI)
    assert windows.contains_event(FRI, now=MON)
    assert not windows.contains_event(FRI - timedelta(minutes=1), now=MON)
    assert not windows.contains_event(MON + timedelta(hours=1), now=MON)
    assert windows.contains_event(MON + timedelta(minutes=30), now=MON + timedelta(hours=1))
    assert windows.contains_plan(MON + timedelta(hours=72))
    assert not windows.contains_plan(MON + timedelta(hours=72, seconds=1))
    assert not windows.contains_plan(MON - timedelta(minutes=1))
