"""The attendance workbook of a period: built, then uploaded to the channel with the week's grid
(or, for a longer period or the membership review, the bodies flagged for review)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine

from blocks.attendance import build_week_grid
from blocks.review import build_period_comment, build_review_comment
from config.settings import WEEKDAYS, Settings
from meeting.audit import record
from meeting.briefings import briefings_between
from meeting.calendar import local_date, local_instant
from meeting.jobruns import claim_job, finish_job, release_job, take_over_stale
from meeting.periods import Period, PeriodKind, week_of
from meeting.report import Report, load_report
from meeting.review import REVIEW_SHEET
from meeting.week import IsoWeek
from service.deps import Deps
from slack_adapter.client import explain, failure, name_lookup, post_once, slack_error
from slack_adapter.guard import CHANNEL_REFUSED, ensure_channel_safe
from storage.db import session_scope

log = logging.getLogger(__name__)
# A claim older than this that never finished belongs to a process that died mid-export.
STALE_CLAIM = timedelta(minutes=15)
JOB = "weekly_export"


class Exported(StrEnum):
    """What an attempt to post the spreadsheet did."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    FAILED = "failed"


@dataclass(frozen=True)
class ExportResult:
    """The outcome, with the period and file name."""

    status: Exported
    period: Period
    filename: str
    file_id: str | None = None
    error: str | None = None


def export_filename(period: Period, *, review: bool = False) -> str:
    """Like dbm-attendance-2026-W47.xlsx, or dbm-membership-review-2026-Q4.xlsx."""
    return f"dbm-{'membership-review' if review else 'attendance'}-{period.key}.xlsx"


def build_export(
    settings: Settings,
    engine: Engine,
    *,
    period: Period,
    now: datetime,
    names: Callable[[str], str] | None = None,
    review: bool = False,
) -> tuple[bytes, str]:
    """The workbook of a period as bytes, and the message that goes with it; `names` gives
    people's names (their Slack ids without it); `review` opens it at the membership review."""
    from meeting.workbook import render_workbook  # openpyxl: only when needed

    meeting = settings.meeting
    with session_scope(engine) as session:
        report = load_report(
            session=session, period=period, channel=settings.channel,
            calendar=meeting.bank_holidays, zone=meeting.timezone, now=now,
            review_rate=meeting.review_rate, marking=meeting.marking,
        )  # fmt: skip
    if names is not None:
        report = replace(report, names={person: names(person) for person in report.people})
    content = render_workbook(report, first=REVIEW_SHEET if review else None)
    return content, _comment(report, review=review)


def _comment(report: Report, *, review: bool) -> str:
    if review:
        return build_review_comment(report)
    if report.period.kind is PeriodKind.WEEK:
        return build_week_grid(report.grid, report.period.title)
    return build_period_comment(report)


def _error_of(exc: SlackClientError) -> str:
    return slack_error(exc) if isinstance(exc, SlackApiError) else exc.__class__.__name__


def post_weekly_export(
    deps: Deps,
    client: WebClient,
    *,
    now: datetime,
    period: Period | None = None,
    requested_by: str,
    review: bool = False,
    since: datetime | None = None,
) -> ExportResult:
    """Build a period's workbook (this week by default) and upload it to the briefing channel;
    `review`: the membership review, with the bodies flagged in the message. A file of the same
    name shared in the channel since `since` (default `now`) is this export landed already (a
    crash, a timeout or a 5xx after Slack took it): it is not uploaded again."""
    period = period or week_of(local_date(now, deps.settings.meeting.timezone))
    filename = export_filename(period, review=review)
    if ensure_channel_safe(deps, client, now=now) is not None:
        return ExportResult(Exported.FAILED, period, filename, error=CHANNEL_REFUSED)
    content, comment = build_export(
        deps.settings, deps.engine, period=period, now=now,
        names=name_lookup(client, with_id=False), review=review,
    )  # fmt: skip
    what = "membership review" if review else "attendance"

    def upload() -> dict[str, Any]:
        response = client.files_upload_v2(
            channel=deps.channel,
            content=content,
            filename=filename,
            title=f"DBM {what}, {period.title}",
            initial_comment=comment,
        )
        return dict(response.get("file") or {})

    def find() -> dict[str, Any] | None:
        return _shared_file(client, deps.channel, filename, since or now)

    try:
        file = post_once(find, upload, f"the workbook {filename}")
    except (SlackClientError, OSError) as exc:
        error = failure(exc)
        log.error("workbook %s not uploaded: %s; %s", filename, error, explain(error))
        return ExportResult(Exported.FAILED, period, filename, error=error)
    log.info("uploaded %s (%s), asked by %s", filename, file.get("id"), requested_by)
    with session_scope(deps.engine) as session:
        record(
            session=session,
            now=now,
            actor=requested_by,
            action="export.posted",
            subject=f"period:{period.key}",
            after={"file_id": file.get("id"), "filename": filename},
        )
    return ExportResult(Exported.POSTED, period, filename, file.get("id"))


def _shared_file(
    client: WebClient, channel: str, filename: str, since: datetime
) -> dict[str, Any] | None:
    """A file called `filename` shared in the channel since `since`, if there is one."""
    response = client.conversations_history(
        channel=channel, oldest=f"{since.timestamp():.6f}", limit=200
    )
    for message in response.get("messages") or []:
        for file in message.get("files") or []:
            if file.get("name") == filename:
                return dict(file)
    return None


def scheduled_week(day_of_run: datetime, settings: Settings) -> IsoWeek:
    """The week a scheduled export covers: this week from Friday, else the week before."""
    today = local_date(day_of_run, settings.meeting.timezone)
    return IsoWeek.of(today if today.weekday() >= 4 else today - timedelta(days=7))


def export_week_once(
    deps: Deps, client: WebClient, *, week: IsoWeek, now: datetime
) -> ExportResult:
    """Post a week's spreadsheet unless any process did already (a claim in the database)."""
    period = week_of(week.monday)
    with session_scope(deps.engine) as session:
        claimed = claim_job(
            session=session, job=JOB, key=week.label, now=now, claimer=deps.instance
        ) or take_over_stale(
            session=session, job=JOB, key=week.label, now=now, claimer=deps.instance,
            stale_after=STALE_CLAIM,
        )  # fmt: skip
        if not claimed:
            return ExportResult(Exported.ALREADY_POSTED, period, export_filename(period))
    try:
        result = post_weekly_export(
            deps, client, now=now, period=period, requested_by="scheduler",
            since=week_due(week, deps.settings),
        )  # fmt: skip
    except Exception:
        with session_scope(deps.engine) as session:
            release_job(session=session, job=JOB, key=week.label)
        raise
    with session_scope(deps.engine) as session:
        if result.status is Exported.FAILED:
            release_job(session=session, job=JOB, key=week.label)
        else:
            finish_job(
                session=session, job=JOB, key=week.label, now=now, detail=result.file_id or ""
            )
    return result


def run_weekly_export(deps: Deps, client: WebClient, now: datetime | None = None) -> ExportResult:
    """The weekly job (export day and time): post the week's spreadsheet once."""
    now = now or deps.clock()
    return export_week_once(deps, client, week=scheduled_week(now, deps.settings), now=now)


def week_due(week: IsoWeek, settings: Settings) -> datetime:
    """When a week's spreadsheet is scheduled (its export day and time)."""
    meeting = settings.meeting
    day = week.monday + timedelta(days=WEEKDAYS.index(meeting.export_day))
    return local_instant(day, meeting.export_time, meeting.timezone)


def last_due(now: datetime, settings: Settings) -> datetime:
    """The latest scheduled export instant at or before now."""
    meeting = settings.meeting
    today = local_date(now, meeting.timezone)
    monday = today - timedelta(days=today.weekday())
    day = monday + timedelta(days=WEEKDAYS.index(meeting.export_day))
    due = local_instant(day, meeting.export_time, meeting.timezone)
    if due > now:
        due = local_instant(day - timedelta(days=7), meeting.export_time, meeting.timezone)
    return due


def catch_up_export(
    deps: Deps, client: WebClient, now: datetime | None = None
) -> ExportResult | None:
    """On start: post the latest week's spreadsheet if its time passed while the bot was down.

    Late is fine and never is not, so there is no grace limit here; the claim keeps it once.
    """
    now = now or deps.clock()
    due = last_due(now, deps.settings)
    week = scheduled_week(due, deps.settings)
    with session_scope(deps.engine) as session:
        held = briefings_between(session=session, start=week.monday, end=week.sunday)
    if not held:
        return None  # the bot did not run that week (e.g. a new install): nothing to report
    result = export_week_once(deps, client, week=week, now=now)
    late = now - due > timedelta(minutes=deps.settings.meeting.grace_minutes)
    if result.status is Exported.POSTED and late:
        log.warning("posted the %s spreadsheet late: the bot was down at its time", week.label)
    return result
