"""The running order of the call: posted in the thread at call time (once), again when a chair
asks, shown privately to participants and on a chair's App Home."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.ids import EventType
from blocks.running_order import build_running_order_fallback, build_running_order_parts
from blocks.text import Block
from meeting.briefings import open_briefing
from meeting.calendar import local_date
from meeting.day import day_times
from meeting.jobruns import claim_job, finish_job, release_job
from meeting.running_order import RunningOrder, build_running_order, record_running_order
from service.deps import Deps
from slack_adapter.client import explain, slack_error
from slack_adapter.guard import ensure_channel_safe
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)
JOB = "running_order"


class Ordered(StrEnum):
    """What an attempt to post the running order did."""

    POSTED = "posted"
    NO_BRIEFING = "no_briefing"
    ALREADY_POSTED = "already_posted"
    FAILED = "failed"


@dataclass(frozen=True)
class OrderResult:
    """The outcome, with the briefing and how many messages the order took."""

    status: Ordered
    briefing: Briefing | None = None
    parts: int = 0
    error: str | None = None


def _open(deps: Deps) -> tuple[Briefing, RunningOrder] | None:
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        if briefing is None:
            return None
        threats = deps.settings.threats
        return briefing, build_running_order(session=session, briefing=briefing, threats=threats)


def running_order_parts(deps: Deps, order: RunningOrder, briefing: Briefing) -> list[list[Block]]:
    """The running order as messages, with the call time of a scheduled briefing."""
    meeting = deps.settings.meeting
    call_at = day_times(briefing.meeting_date, meeting).call_at
    scheduled = briefing.kind != "extra"
    return build_running_order_parts(
        order, meeting.timezone, call_at=call_at if scheduled else None
    )


def current_order(deps: Deps) -> tuple[Briefing, RunningOrder] | None:
    """The open briefing and its running order as it stands now; None if none is open."""
    return _open(deps)


def _post(
    client: WebClient, briefing: Briefing, order: RunningOrder, parts: list[list[Block]]
) -> None:
    for number, blocks in enumerate(parts, start=1):
        client.chat_postMessage(
            channel=briefing.channel_id,
            thread_ts=briefing.thread_ts,
            text=build_running_order_fallback(order, number, len(parts)),
            blocks=blocks,
            metadata={
                "event_type": EventType.RUNNING_ORDER.value,
                "event_payload": {"briefing_id": briefing.id, "part": number},
            },
            unfurl_links=False,
        )


def post_running_order(deps: Deps, client: WebClient, *, now: datetime, by: str) -> OrderResult:
    """Post the open briefing's running order in its thread, and record when (updates stored
    after it are marked so in the digest)."""
    found = _open(deps)
    if found is None:
        return OrderResult(Ordered.NO_BRIEFING)
    briefing, order = found
    if ensure_channel_safe(deps, client, briefing.channel_id, now=now) is not None:
        return OrderResult(Ordered.FAILED, briefing, error="channel_refused")
    parts = running_order_parts(deps, order, briefing)
    try:
        _post(client, briefing, order, parts)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.error("running order of briefing %s not posted: %s; %s", briefing.id, error,
                  explain(error))  # fmt: skip
        return OrderResult(Ordered.FAILED, briefing, error=error)
    with session_scope(deps.engine) as session:
        stored = session.get(Briefing, briefing.id)
        assert stored is not None
        record_running_order(session=session, briefing=stored, actor=by, now=now)
    log.info("running order of briefing %s posted in %d part(s) by %s", briefing.id, len(parts), by)
    return OrderResult(Ordered.POSTED, briefing, len(parts))


def run_running_order(deps: Deps, client: WebClient, now: datetime | None = None) -> OrderResult:
    """The call-time job: post today's running order once (a database claim)."""
    now = now or deps.clock()
    today = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        if briefing is None or briefing.meeting_date != today:
            return OrderResult(Ordered.NO_BRIEFING)
        key = f"briefing:{briefing.id}"
        if not claim_job(session=session, job=JOB, key=key, now=now, claimer=deps.instance):
            return OrderResult(Ordered.ALREADY_POSTED, briefing)
    result = post_running_order(deps, client, now=now, by="scheduler")
    with session_scope(deps.engine) as session:
        if result.status is Ordered.FAILED:
            release_job(session=session, job=JOB, key=key)
        else:
            finish_job(session=session, job=JOB, key=key, now=now, detail=result.status.value)
    return result


def catch_up_running_order(
    deps: Deps, client: WebClient, now: datetime | None = None
) -> OrderResult | None:
    """On start: post today's running order if the call began while the bot was down and the
    briefing has not closed (after the close the digest has it all). Still once per briefing."""
    now = now or deps.clock()
    times = day_times(local_date(now, deps.settings.meeting.timezone), deps.settings.meeting)
    if not times.call_at <= now < times.closes_at:
        return None
    log.info("posting the running order late: the bot was down at the call")
    return run_running_order(deps, client, now)
