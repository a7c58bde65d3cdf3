"""Posting the digest in the briefing thread when it closes, and keeping it current.

An update that arrives (or changes) after the digest was posted is folded into the posted
messages with chat.update; if the digest grows past its messages, further parts are added.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import col, select

from blocks.digest import build_digest_fallback, build_digest_parts, build_empty_part
from blocks.ids import EventType
from blocks.text import Block
from meeting.calendar import local_date
from meeting.digest import Digest, build_digest, claim_part, digest_messages, record_part
from meeting.jobruns import claim_job
from meeting.timefmt import fmt_day
from meeting.updates import current_briefing
from service.deps import Deps
from slack_adapter.alerts import can_message, notify_chairs
from slack_adapter.client import explain, failure, post_once, slack_error
from slack_adapter.guard import ensure_channel_safe
from storage.db import session_scope
from storage.models import Briefing, DigestMessage

log = logging.getLogger(__name__)
# A part claimed this long ago and not recorded belongs to a closer that died mid-post.
STALE_PART = timedelta(minutes=1)
ALERT_JOB = "digest_alert"  # the chairs are told once per briefing that its digest is stuck


def _render(deps: Deps, briefing: Briefing) -> tuple[Digest, list[list[Block]]]:
    with session_scope(deps.engine) as session:
        digest = build_digest(session=session, briefing=briefing, threats=deps.settings.threats)
    return digest, build_digest_parts(digest, deps.settings.meeting.timezone)


def _metadata(briefing: Briefing, part: int) -> dict[str, object]:
    return {
        "event_type": EventType.DIGEST.value,
        "event_payload": {"briefing_id": briefing.id, "part": part},
    }


def _find_part(client: WebClient, briefing: Briefing, part: int) -> str | None:
    """The ts of a digest part already in the thread (its metadata names briefing and part)."""
    assert briefing.thread_ts is not None
    cursor: str | None = None
    while True:
        response = client.conversations_replies(
            channel=briefing.channel_id,
            ts=briefing.thread_ts,
            include_all_metadata=True,
            limit=200,
            cursor=cursor,
        )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == EventType.DIGEST
                and payload.get("briefing_id") == briefing.id
                and payload.get("part") == part
            ):
                return str(message["ts"])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None


def _post_part(
    deps: Deps, client: WebClient, briefing: Briefing, part: int, text: str, blocks: list[Block]
) -> None:
    """Post one part under a claim, so two closers never post the same part twice, and only if
    an earlier attempt did not land (a crash, a timeout or a 5xx after Slack posted it)."""
    assert briefing.id is not None
    now = deps.clock()
    with session_scope(deps.engine) as session:
        row = claim_part(session=session, briefing_id=briefing.id, part=part, now=now)
    if row is None:
        return
    ts: str | None = None

    def post() -> str:
        response = client.chat_postMessage(
            channel=briefing.channel_id,
            thread_ts=briefing.thread_ts,
            text=text,
            blocks=blocks,
            metadata=_metadata(briefing, part),
            unfurl_links=False,
        )
        return str(response["ts"])

    try:
        what = f"part {part} of the digest of briefing {briefing.id}"
        ts = post_once(lambda: _find_part(client, briefing, part), post, what)
    finally:
        with session_scope(deps.engine) as session:
            record_part(session=session, row=session.merge(row), ts=ts)


def _settle_stale(deps: Deps, client: WebClient, briefing: Briefing, row: DigestMessage) -> None:
    """A part claimed by a closer that died before recording it: record it if it is in the
    thread, else give the claim up so it is posted again."""
    ts = _find_part(client, briefing, row.part)
    with session_scope(deps.engine) as session:
        record_part(session=session, row=session.merge(row), ts=ts)


def _update_part(
    client: WebClient, briefing: Briefing, row: DigestMessage, text: str, blocks: list[Block]
) -> None:
    assert row.ts is not None
    client.chat_update(
        channel=briefing.channel_id,
        ts=row.ts,
        text=text,
        blocks=blocks,
        metadata=_metadata(briefing, row.part),
    )


def _rows(deps: Deps, briefing: Briefing) -> dict[int, DigestMessage]:
    assert briefing.id is not None
    with session_scope(deps.engine) as session:
        return digest_messages(session=session, briefing_id=briefing.id)


def _sync(deps: Deps, client: WebClient, briefing: Briefing, *, post_new: bool) -> int:
    """Make the posted digest match the stored updates; returns how many parts it has."""
    assert briefing.id is not None
    digest, parts = _render(deps, briefing)
    rows = _rows(deps, briefing)
    if not rows and not post_new:
        return 0
    now = deps.clock()
    for number, blocks in enumerate(parts, start=1):
        text = build_digest_fallback(digest, number, len(parts))
        row = rows.get(number)
        if row is not None and row.ts is None and now - row.posted_at >= STALE_PART:
            _settle_stale(deps, client, briefing, row)
            row = _rows(deps, briefing).get(number)
        if row is None:
            _post_part(deps, client, briefing, number, text, blocks)
        elif row.ts:
            _update_part(client, briefing, row, text, blocks)
    for number, row in sorted(rows.items()):
        if number > len(parts) and row.ts:
            _update_part(
                client, briefing, row, "Digest: nothing further.", build_empty_part(digest, number)
            )
    return len(parts)


def post_digest(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> None:
    """Closing step: post the briefing's digest in its thread (once; later calls update it).
    If Slack will not take it, the chairs are told once and it is tried again every few
    minutes (`retry_digests`) until it is posted."""
    if not briefing.thread_ts:
        return
    if ensure_channel_safe(deps, client, briefing.channel_id, now=now) is not None:
        log.error("digest of briefing %s not posted: the channel was refused", briefing.id)
        return
    try:
        parts = _sync(deps, client, briefing, post_new=True)
    except (SlackApiError, SlackClientError, OSError) as exc:
        error = failure(exc)
        log.error(
            "the digest of briefing %s could not be posted (%s; %s): it is tried again every "
            "few minutes",
            briefing.id,
            error,
            explain(error),
        )
        _tell_chairs_once(deps, client, briefing, error, now)
        return
    log.info("digest of briefing %s posted in %d part(s) at %s", briefing.id, parts, now)


def _tell_chairs_once(
    deps: Deps, client: WebClient, briefing: Briefing, error: str, now: datetime
) -> None:
    with session_scope(deps.engine) as session:
        first = claim_job(
            session=session, job=ALERT_JOB, key=str(briefing.id), now=now, claimer=deps.instance
        )
    if first and can_message(error):
        notify_chairs(
            deps,
            client,
            f":warning: The digest of the briefing of {fmt_day(briefing.meeting_date)} could "
            f"not be posted in its thread: Slack said `{error}` ({explain(error)}). I will keep "
            "trying every few minutes; `/dbm summary` shows it meanwhile.",
        )


def incomplete_digests(deps: Deps, *, now: datetime) -> list[Briefing]:
    """Today's closed briefings whose digest was not (wholly) posted."""
    zone = deps.settings.meeting.timezone
    with session_scope(deps.engine) as session:
        query = select(Briefing).where(
            Briefing.channel_id == deps.channel,
            Briefing.status == "closed",
            Briefing.meeting_date == local_date(now, zone),
            col(Briefing.thread_ts).is_not(None),
        )
        closed = list(session.exec(query))
        return [
            b
            for b in closed
            if not (rows := digest_messages(session=session, briefing_id=b.id or 0))
            or any(row.ts is None for row in rows.values())
        ]


def retry_digests(deps: Deps, client: WebClient, *, now: datetime) -> int:
    """Post again what is missing of today's digests; how many briefings were tried."""
    found = incomplete_digests(deps, now=now)
    for briefing in found:
        post_digest(deps, client, briefing, now)
    return len(found)


def refresh_digest(deps: Deps, client: WebClient, briefing: Briefing) -> None:
    """After a late or changed update: update the posted digest in place (if it was posted)."""
    try:
        _sync(deps, client, briefing, post_new=False)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning(
            "could not update the digest of briefing %s: %s; %s", briefing.id, error, explain(error)
        )


def current_digest(deps: Deps, *, now: datetime) -> Digest | None:
    """The digest of the briefing updates go to now, so far; None if there is none today."""
    zone = deps.settings.meeting.timezone
    with session_scope(deps.engine) as session:
        briefing = current_briefing(session=session, channel=deps.channel, now=now, zone=zone)
        if briefing is None:
            return None
        return build_digest(session=session, briefing=briefing, threats=deps.settings.threats)
