"""Posting the digest in the briefing thread when it closes, and keeping it current.

An update that arrives (or changes) after the digest was posted is folded into the posted
messages with chat.update; if the digest grows past its messages, further parts are added.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.digest import build_digest_fallback, build_digest_parts, build_empty_part
from blocks.ids import EventType
from blocks.text import Block
from meeting.digest import Digest, build_digest, claim_part, digest_messages, record_part
from meeting.updates import current_briefing
from service.deps import Deps
from slack_adapter.client import explain, slack_error
from slack_adapter.guard import ensure_channel_safe
from storage.db import session_scope
from storage.models import Briefing, DigestMessage

log = logging.getLogger(__name__)


def _render(deps: Deps, briefing: Briefing) -> tuple[Digest, list[list[Block]]]:
    with session_scope(deps.engine) as session:
        digest = build_digest(session=session, briefing=briefing, threats=deps.settings.threats)
    return digest, build_digest_parts(digest, deps.settings.meeting.timezone)


def _metadata(briefing: Briefing, part: int) -> dict[str, object]:
    return {
        "event_type": EventType.DIGEST.value,
        "event_payload": {"briefing_id": briefing.id, "part": part},
    }


def _post_part(
    deps: Deps, client: WebClient, briefing: Briefing, part: int, text: str, blocks: list[Block]
) -> None:
    """Post one part under a claim, so two closers never post the same part twice."""
    assert briefing.id is not None
    now = deps.clock()
    with session_scope(deps.engine) as session:
        row = claim_part(session=session, briefing_id=briefing.id, part=part, now=now)
    if row is None:
        return
    ts: str | None = None
    try:
        response = client.chat_postMessage(
            channel=briefing.channel_id,
            thread_ts=briefing.thread_ts,
            text=text,
            blocks=blocks,
            metadata=_metadata(briefing, part),
            unfurl_links=False,
        )
        ts = str(response["ts"])
    finally:
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


def _sync(deps: Deps, client: WebClient, briefing: Briefing, *, post_new: bool) -> int:
    """Make the posted digest match the stored updates; returns how many parts it has."""
    assert briefing.id is not None
    digest, parts = _render(deps, briefing)
    with session_scope(deps.engine) as session:
        rows = digest_messages(session=session, briefing_id=briefing.id)
    if not rows and not post_new:
        return 0
    for number, blocks in enumerate(parts, start=1):
        text = build_digest_fallback(digest, number, len(parts))
        row = rows.get(number)
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
    """Closing step: post the briefing's digest in its thread (once; later calls update it)."""
    if not briefing.thread_ts:
        return
    if ensure_channel_safe(deps, client, briefing.channel_id, now=now) is not None:
        log.error("digest of briefing %s not posted: the channel was refused", briefing.id)
        return
    parts = _sync(deps, client, briefing, post_new=True)
    log.info("digest of briefing %s posted in %d part(s) at %s", briefing.id, parts, now)


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
