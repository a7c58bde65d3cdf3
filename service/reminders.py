"""Roll-call jobs: one reminder before the call naming bodies yet to answer; absences at close."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.attendance import build_reminder
from meeting.attendance import mark_absent, roll_call
from meeting.audit import record
from meeting.briefings import open_briefing
from meeting.calendar import local_date, local_instant
from meeting.jobruns import claim_job, finish_job, release_job
from meeting.members import members_of
from service.deps import Deps
from slack_adapter.client import explain, slack_error
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)
JOB = "roll_call_reminder"


class Reminded(StrEnum):
    """What an attempt to remind did."""

    SENT = "sent"
    NOTHING_MISSING = "nothing_missing"
    NO_BRIEFING = "no_briefing"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"


@dataclass(frozen=True)
class ReminderResult:
    """The outcome: the bodies named and the people mentioned."""

    status: Reminded
    briefing: Briefing | None = None
    missing: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()
    error: str | None = None


def _call_time(deps: Deps, briefing: Briefing) -> str:
    meeting = deps.settings.meeting
    at = local_instant(briefing.meeting_date, meeting.call_time, meeting.timezone)
    return f"{at:%H:%M %Z}"


def send_reminder(
    deps: Deps, client: WebClient, *, now: datetime, requested_by: str
) -> ReminderResult:
    """Post one reminder in the open briefing's thread; mentions only the missing bodies' people."""
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        if briefing is None:
            return ReminderResult(Reminded.NO_BRIEFING)
        call = roll_call(session=session, briefing=briefing)
        people = members_of(session=session, body_ids=[b.id for b in call.missing if b.id])
    if not call.missing:
        return ReminderResult(Reminded.NOTHING_MISSING, briefing)
    missing = [(b.code, b.name, people.get(b.id or 0, [])) for b in call.missing]
    text, blocks = build_reminder(missing, _call_time(deps, briefing))
    try:
        client.chat_postMessage(
            channel=briefing.channel_id, thread_ts=briefing.thread_ts, text=text, blocks=blocks
        )
    except SlackApiError as exc:
        error = slack_error(exc)
        log.error("reminder for briefing %s not posted: %s; %s", briefing.id, error, explain(error))
        return ReminderResult(Reminded.FAILED, briefing, error=error)
    mentioned = tuple(dict.fromkeys(u for _, _, users in missing for u in users))
    with session_scope(deps.engine) as session:
        record(
            session=session,
            now=now,
            actor=requested_by,
            action="reminder.sent",
            subject=f"briefing:{briefing.id}",
            after={"bodies": [m[0] for m in missing], "people": len(mentioned)},
        )
    log.info(
        "reminder posted in briefing %s for %d bodies, %d people (asked by %s at %s)",
        briefing.id,
        len(missing),
        len(mentioned),
        requested_by,
        now.isoformat(),
    )
    return ReminderResult(Reminded.SENT, briefing, tuple(m[0] for m in missing), mentioned)


def run_scheduled_reminder(
    deps: Deps, client: WebClient, now: datetime | None = None
) -> ReminderResult:
    """The pre-call job: remind once per briefing (a database claim), only for today's briefing."""
    now = now or deps.clock()
    today = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        if briefing is None or briefing.meeting_date != today:
            return ReminderResult(Reminded.NO_BRIEFING)
        key = f"briefing:{briefing.id}"
        if not claim_job(session=session, job=JOB, key=key, now=now, claimer=deps.instance):
            return ReminderResult(Reminded.ALREADY_SENT, briefing)
    result = send_reminder(deps, client, now=now, requested_by="scheduler")
    with session_scope(deps.engine) as session:
        if result.status is Reminded.FAILED:
            release_job(session=session, job=JOB, key=key)
        else:
            finish_job(session=session, job=JOB, key=key, now=now, detail=result.status.value)
    return result


def mark_absent_on_close(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> None:
    """Closing step: every body invited that day without a roll-call record is recorded absent."""
    with session_scope(deps.engine) as session:
        actor = briefing.closed_by or "scheduler"
        absent = mark_absent(session=session, briefing=briefing, actor=actor, now=now)
    log.info("briefing %s closed: %d bodies recorded absent", briefing.id, len(absent))


def catch_up_reminder(
    deps: Deps, client: WebClient, now: datetime | None = None
) -> ReminderResult | None:
    """On start: send today's reminder if its time passed while the bot was down, as long as
    the call has not started (after that it would only be noise). Still once per briefing."""
    now = now or deps.clock()
    meeting = deps.settings.meeting
    if not meeting.reminder_minutes:
        return None
    day = local_date(now, meeting.timezone)
    call = local_instant(day, meeting.call_time, meeting.timezone)
    if not call - timedelta(minutes=meeting.reminder_minutes) <= now < call:
        return None
    log.info("sending the roll-call reminder late: the bot was down at its time")
    return run_scheduled_reminder(deps, client, now)
