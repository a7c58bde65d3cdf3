"""The scheduler's jobs fire at the configured local times, across GMT/BST changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.scheduler import job_specs
from config.settings import Settings
from service.closing import run_close_briefing
from service.export import run_weekly_export
from service.jobs import run_open_briefing
from service.reminders import run_scheduled_reminder

LONDON = ZoneInfo("Europe/London")


def next_local(settings: Settings, job_id: str, after: datetime) -> str:
    (spec,) = [s for s in job_specs(settings) if s.id == job_id]
    fire = spec.trigger.get_next_fire_time(None, after)
    assert fire is not None
    return fire.astimezone(LONDON).strftime("%a %d %b %H:%M %Z")


def test_every_job_is_scheduled_with_its_function(settings: Settings) -> None:
    runs = {spec.id: spec.run for spec in job_specs(settings)}
    assert runs["open_briefing"] is run_open_briefing
    assert runs["close_briefing"] is run_close_briefing
    assert runs["roll_call_reminder"] is run_scheduled_reminder
    assert runs["weekly_export"] is run_weekly_export
    assert "retention" in runs


def test_times_follow_the_meeting_settings_across_the_clock_change(settings: Settings) -> None:
    friday_evening = datetime(2026, 10, 23, 18, 0, tzinfo=UTC)  # clocks go back on Sun 25 Oct
    assert next_local(settings, "open_briefing", friday_evening) == "Mon 26 Oct 08:30 GMT"
    assert next_local(settings, "roll_call_reminder", friday_evening) == "Mon 26 Oct 09:15 GMT"
    assert next_local(settings, "close_briefing", friday_evening) == "Mon 26 Oct 11:00 GMT"
    assert next_local(settings, "weekly_export", friday_evening) == "Fri 30 Oct 12:00 GMT"
    thursday = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)
    assert next_local(settings, "close_briefing", thursday) == "Fri 23 Oct 11:00 BST"
