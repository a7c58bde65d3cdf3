"""Opening the day's briefing: claim in the database, post the header, record the thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from blocks.briefing import HeaderView, build_briefing_header, build_header_fallback, is_header_of
from blocks.ids import EventType
from meeting.briefings import (
    Claim,
    ClaimOutcome,
    claim_briefing,
    mark_opened,
    no_meeting_reason,
    open_briefing,
    release_claim,
)
from meeting.calendar import local_date
from service.deps import Deps
from service.header import header_changed, header_view
from slack_adapter.alerts import can_message, notify_chairs
from slack_adapter.client import PERMANENT_ERRORS, explain, failure, post_once, slack_error
from slack_adapter.guard import CHANNEL_REFUSED, ensure_channel_safe
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)


class Opened(StrEnum):
    """What an attempt to open the briefing did."""

    POSTED = "posted"
    ALREADY_OPEN = "already_open"
    IN_PROGRESS = "in_progress"
    FAILED = "failed"


@dataclass(frozen=True)
class OpenResult:
    """The outcome, with the briefing where there is one."""

    status: Opened
    briefing: Briefing | None
    error: str | None = None


def _header_view(
    deps: Deps, briefing: Briefing, now: datetime, client: WebClient | None = None
) -> HeaderView:
    return header_view(deps, briefing, opened_at=now, client=client)


def _find_posted_header(client: WebClient, channel: str, day: date) -> str | None:
    """A header already posted for `day` by a process that died before recording it."""
    response = client.conversations_history(channel=channel, limit=100, include_all_metadata=True)
    for message in response.get("messages") or []:
        if is_header_of(message, day):
            return str(message["ts"])
    return None


def _post_header(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> str:
    view = _header_view(deps, briefing, now, client)
    response = client.chat_postMessage(
        channel=briefing.channel_id,
        text=build_header_fallback(view),
        blocks=build_briefing_header(view),
        metadata={
            "event_type": EventType.BRIEFING_OPENED.value,
            "event_payload": {"meeting_date": briefing.meeting_date.isoformat()},
        },
        unfurl_links=False,
    )
    return str(response["ts"])


def _open_briefing(deps: Deps) -> Briefing | None:
    with session_scope(deps.engine) as session:
        return open_briefing(session=session, channel=deps.channel)


def refresh_header(deps: Deps, client: WebClient, *, changed_in: int | None = None) -> None:
    """Bring the open briefing's header up to date with the urgent demands it carries (after
    one was changed, met or withdrawn). A demand `changed_in` the open briefing itself is not in
    its header: nothing to do. The write is paced with the roll call's (service/header.py)."""
    briefing = _open_briefing(deps)
    if briefing is None or briefing.id == changed_in:
        return
    _refresh_header(deps, client, briefing)


def _refresh_header(deps: Deps, client: WebClient, briefing: Briefing) -> None:
    header_changed(deps, client, briefing.id)


def _claim(deps: Deps, *, day: date, now: datetime, kind: str) -> Claim:
    meeting = deps.settings.meeting
    with session_scope(deps.engine) as session:
        return claim_briefing(
            session=session,
            channel=deps.channel,
            day=day,
            now=now,
            claimer=deps.instance,
            kind=kind,
            lookback_hours=meeting.lookback_hours,
            lookahead_hours=meeting.lookahead_hours,
        )


def _give_up(deps: Deps, briefing: Briefing, error: str) -> OpenResult:
    with session_scope(deps.engine) as session:
        release_claim(session=session, briefing=briefing)
    return OpenResult(Opened.FAILED, None, error)


def _alert_post_failure(deps: Deps, client: WebClient, channel: str, error: str) -> None:
    if error in PERMANENT_ERRORS and can_message(error):
        notify_chairs(
            deps,
            client,
            f":warning: I could not post today's briefing in <#{channel}>: Slack said `{error}` "
            f"({explain(error)}). Then open it with `/dbm open`.",
        )


def _adopt(deps: Deps, client: WebClient, claim: Claim, day: date, now: datetime) -> OpenResult:
    """A claim held by another run: if its header is in the channel (that run died after
    posting), record it now; else it is still being opened."""
    briefing = claim.briefing
    try:
        ts = _find_posted_header(client, briefing.channel_id, day)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("could not look for the header of %s: %s", day, failure(exc))
        ts = None
    if ts is None:
        return OpenResult(Opened.IN_PROGRESS, briefing)
    with session_scope(deps.engine) as session:
        briefing = mark_opened(
            session=session, briefing=briefing, thread_ts=ts, now=now, opened_by=briefing.claimed_by
        )
    log.info("found the header of briefing %s in the channel and recorded it", briefing.id)
    return OpenResult(Opened.ALREADY_OPEN, briefing)


def open_briefing_now(
    deps: Deps, client: WebClient, *, now: datetime, opened_by: str, kind: str = "scheduled"
) -> OpenResult:
    """Open the day's briefing in the configured channel exactly once."""
    day = local_date(now, deps.settings.meeting.timezone)
    claim = _claim(deps, day=day, now=now, kind=kind)
    if claim.outcome is ClaimOutcome.EXISTS:
        return OpenResult(Opened.ALREADY_OPEN, claim.briefing)
    if claim.outcome is ClaimOutcome.IN_PROGRESS:
        return _adopt(deps, client, claim, day, now)
    briefing = claim.briefing
    if ensure_channel_safe(deps, client, briefing.channel_id, now=now) is not None:
        return _give_up(deps, briefing, CHANNEL_REFUSED)
    try:
        ts = post_once(
            lambda: _find_posted_header(client, briefing.channel_id, day),
            lambda: _post_header(deps, client, briefing, now),
            f"the header of {day}",
        )
    except (SlackApiError, SlackClientError, OSError) as exc:
        # A timeout or a 5xx whose header is not in the channel releases the claim like any
        # other failure: the next run (or a chair's /dbm open) posts it.
        error = failure(exc)
        log.error(
            "could not post the briefing header in %s: %s; %s",
            briefing.channel_id,
            error,
            explain(error),
        )
        _alert_post_failure(deps, client, briefing.channel_id, error)
        return _give_up(deps, briefing, error)
    with session_scope(deps.engine) as session:
        briefing = mark_opened(
            session=session, briefing=briefing, thread_ts=ts, now=now, opened_by=opened_by
        )
    log.info(
        "opened briefing %s for %s in %s (thread %s)", briefing.id, day, briefing.channel_id, ts
    )
    return OpenResult(Opened.POSTED, briefing)


def permalink(client: WebClient, channel: str, ts: str | None) -> str | None:
    """A link to a message, or None if Slack will not give one."""
    if not ts:
        return None
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError as exc:
        log.warning("no permalink for %s/%s: %s", channel, ts, slack_error(exc))
        return None


def open_on_request(deps: Deps, client: WebClient, *, now: datetime, by: str) -> OpenResult:
    """A chair opens today's briefing now: an extra session on a day with no meeting."""
    meeting = deps.settings.meeting
    day = local_date(now, meeting.timezone)
    with session_scope(deps.engine) as session:
        extra = no_meeting_reason(session=session, day=day, calendar=meeting.bank_holidays)
    kind = "extra" if extra else "scheduled"
    return open_briefing_now(deps, client, now=now, opened_by=by, kind=kind)
