"""The scheduler: one BackgroundScheduler per process; exactly-once comes from the database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from config.settings import Settings
from handlers.listen import Listeners
from service.closing import run_close_briefing
from service.deps import Deps
from service.digest import retry_digests
from service.export import run_weekly_export
from service.header import write_due_header
from service.jobs import run_open_briefing
from service.recovery import recover_thread
from service.reminders import run_scheduled_reminder
from service.retention import retention_job
from service.running_order import run_running_order

log = logging.getLogger(__name__)

JobFunction = Callable[[Deps, WebClient], Any]
RECOVERY_MINUTES = 5  # how often the thread is read for replies that slipped through
RESUME_AFTER = timedelta(minutes=2)  # live work older than this that did not finish is resumed
# The live header's paced writes (meeting/pacing.py): a check-in less than this after the last
# write is shown by this job's next run. Whole seconds from a fixed start, so runs are
# predictable; a run with nothing due does nothing (no database, no Slack).
HEADER_JOB = "header_roll_call"
HEADER_SECONDS = 5
HEADER_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: its id, when it fires, and what it runs."""

    id: str
    trigger: CronTrigger | IntervalTrigger
    run: JobFunction


def weekday_trigger(settings: Settings, hour: int, minute: int) -> CronTrigger:
    """Monday to Friday at a local wall-clock time (bank holidays are skipped by the job)."""
    zone = settings.meeting.timezone
    return CronTrigger(day_of_week="mon-fri", hour=hour, minute=minute, timezone=zone)


def job_specs(settings: Settings) -> list[JobSpec]:
    """Every scheduled job of the bot."""
    opening, closing = settings.meeting.open_time, settings.meeting.close_time
    call = settings.meeting.call_time
    return [
        JobSpec(
            "open_briefing",
            weekday_trigger(settings, opening.hour, opening.minute),
            run_open_briefing,
        ),
        # At the call: the running order in the thread, once per briefing.
        JobSpec(
            "running_order", weekday_trigger(settings, call.hour, call.minute), run_running_order
        ),
        JobSpec(
            HEADER_JOB,
            IntervalTrigger(seconds=HEADER_SECONDS, start_date=HEADER_EPOCH),
            write_due_header,
        ),
        # Closing posts the digest and records bodies without a record as absent.
        JobSpec(
            "close_briefing",
            weekday_trigger(settings, closing.hour, closing.minute),
            run_close_briefing,
        ),
        *attendance_job_specs(settings),
        # Daily, at a quiet hour: old update text is removed (see meeting/retention.py).
        JobSpec(
            "retention",
            CronTrigger(hour=3, minute=15, timezone=settings.meeting.timezone),
            retention_job,
        ),
    ]


def attendance_job_specs(settings: Settings) -> list[JobSpec]:
    """The roll-call reminder before the call (unless reminder_minutes is 0), the weekly export."""
    meeting = settings.meeting
    specs = [
        JobSpec(
            "weekly_export",
            CronTrigger(
                day_of_week=meeting.export_day,
                hour=meeting.export_time.hour,
                minute=meeting.export_time.minute,
                timezone=meeting.timezone,
            ),
            run_weekly_export,
        )
    ]
    if meeting.reminder_minutes:
        call = meeting.call_time.hour * 60 + meeting.call_time.minute
        at = max(call - meeting.reminder_minutes, 0)
        trigger = weekday_trigger(settings, at // 60, at % 60)
        specs.append(JobSpec("roll_call_reminder", trigger, run_scheduled_reminder))
    return specs


def guarded(job_id: str, run: JobFunction) -> JobFunction:
    """Wrap a job so a failure is logged and never kills the scheduler."""

    def wrapper(deps: Deps, client: WebClient) -> None:
        try:
            run(deps, client)
        except Exception:
            log.exception("scheduled job %s failed", job_id)

    return wrapper


def recovery_job(listeners: Listeners) -> JobFunction:
    """Every few minutes: what the thread holds and the bot never received is stored and its
    work run; work stored by live requests that did not finish (older than two minutes) is
    run again; a digest Slack would not take at the close is posted again."""

    def recover(deps: Deps, client: WebClient) -> None:
        now = deps.clock()
        for received in recover_thread(deps, client, now=now).stored:
            listeners.run(received)
        retry_digests(deps, client, now=now)
        resumed = listeners.resume(now - RESUME_AFTER)
        if resumed:
            log.info("resumed %d request(s) whose work had not finished", resumed)

    return recover


def register_jobs(
    scheduler: BackgroundScheduler,
    *,
    deps: Deps,
    client: WebClient,
    listeners: Listeners | None = None,
) -> None:
    """Add every job with an explicit id, coalescing and a deliberate misfire grace."""
    grace = deps.settings.meeting.grace_minutes * 60
    specs = job_specs(deps.settings)
    if listeners is not None:
        every = IntervalTrigger(minutes=RECOVERY_MINUTES, timezone=deps.settings.meeting.timezone)
        specs.append(JobSpec("recover_thread", every, recovery_job(listeners)))
    for spec in specs:
        scheduler.add_job(
            guarded(spec.id, spec.run),
            spec.trigger,
            id=spec.id,
            kwargs={"deps": deps, "client": client},
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=grace or None,
        )


def build_scheduler(
    *, deps: Deps, client: WebClient, listeners: Listeners | None = None
) -> BackgroundScheduler:
    """A scheduler in the meeting's time zone with every job registered (not started)."""
    scheduler = BackgroundScheduler(timezone=deps.settings.meeting.timezone)
    register_jobs(scheduler, deps=deps, client=client, listeners=listeners)
    return scheduler


def next_runs(scheduler: BackgroundScheduler) -> dict[str, datetime | None]:
    """Each job's next run time."""
    return {job.id: job.next_run_time for job in scheduler.get_jobs()}
