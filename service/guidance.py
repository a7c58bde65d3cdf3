"""Sending the participants' guidance: by direct message once per person, and to the channel.

The guidance feature (issue 5) owns this module; other features call `deliver_once`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import bindparam
from sqlmodel import Session, select

from blocks.guidance import build_guidance_fallback, build_guidance_messages
from blocks.ids import EventType
from blocks.onboarding import build_welcome_messages, welcome_footer
from blocks.text import Block
from config.errors import ConfigError
from meeting.guidance import (
    BodyMembers,
    Publication,
    acknowledge,
    claim_delivery,
    claim_publication,
    current_version,
    load_guidance,
    mark_posted,
    release_delivery,
    release_publication,
    unacknowledged_by_body,
    version_by_id,
)
from meeting.onboarding import Ask, Onboarding, onboarding
from service.deps import Deps
from slack_adapter.client import explain, failure, post_once, slack_error
from storage.db import session_scope, values_of
from storage.models import GuidanceDelivery, GuidanceVersion

log = logging.getLogger(__name__)


def _chairs(deps: Deps, client: WebClient) -> tuple[str, ...]:
    return tuple(sorted(deps.chairs.chair_ids(client)))


def guidance_messages(
    deps: Deps, client: WebClient, *, reason: str | None = None
) -> list[list[Block]]:
    """The current guidance file as sent to one person, its words and its read button agreeing
    (meeting/onboarding.py); `reason` ("new_member", "first_post") adds a welcome. ConfigError
    if the file is broken."""
    text = load_guidance(deps.settings)
    with session_scope(deps.engine) as session:
        decision = onboarding(session=session, text=text)
    return build_welcome_messages(
        text.markdown,
        decision,
        zone=deps.settings.meeting.timezone,
        reason=reason,
        chairs=_chairs(deps, client),
    )


def post_messages(
    client: WebClient,
    channel: str,
    messages: list[list[Block]],
    *,
    all_or_none: bool = False,
    version: str | None = None,
) -> list[str]:
    """Post messages in order; a user id as `channel` posts in the app's DM with them.

    With `all_or_none`, a failure part-way deletes the parts already posted before it is raised,
    so the channel is never left with half of the text. With `version` (a content hash), each
    part carries it in its metadata, and a part that already landed in the channel (a crash, a
    timeout or a 5xx after Slack posted it) is found there instead of being posted again.
    """
    posted: list[str] = []
    try:
        for number, blocks in enumerate(messages, start=1):
            posted.append(_post_part(client, channel, blocks, number, len(messages), version))
    except (SlackApiError, SlackClientError, OSError):
        if all_or_none:
            _delete(client, channel, posted)
        raise
    return posted


def _post_part(
    client: WebClient,
    channel: str,
    blocks: list[Block],
    number: int,
    total: int,
    version: str | None,
) -> str:
    metadata: dict[str, Any] | None = None
    if version is not None:
        payload = {"version": version, "part": number}
        metadata = {"event_type": EventType.GUIDANCE.value, "event_payload": payload}

    def post() -> str:
        response = client.chat_postMessage(
            channel=channel,
            text=build_guidance_fallback(number, total),
            blocks=blocks,
            unfurl_links=False,
            metadata=metadata,
        )
        return str(response["ts"])

    if version is None:
        return post()
    find = lambda: _posted_part(client, channel, version, number)  # noqa: E731
    return post_once(find, post, f"part {number} of the guidance")


def _posted_part(client: WebClient, channel: str, version: str, part: int) -> str | None:
    """A part of this guidance version already in the channel (its metadata names it)."""
    response = client.conversations_history(channel=channel, limit=100, include_all_metadata=True)
    for message in response.get("messages") or []:
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("version") == version and payload.get("part") == part:
            return str(message["ts"])
    return None


def _delete(client: WebClient, channel: str, posted: list[str]) -> None:
    for ts in posted:
        try:
            client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as exc:
            log.warning("part %s of an unfinished post not deleted: %s", ts, slack_error(exc))


_SENT = select(GuidanceDelivery.slack_user_id).where(
    GuidanceDelivery.slack_user_id == bindparam("user")
)


def guidance_sent(*, session: Session, user_id: str) -> bool:
    """True once the guidance was sent (or claimed) for a person: one primary-key lookup."""
    return bool(values_of(session, _SENT, user=user_id))


def deliver_once(deps: Deps, client: WebClient, *, user_id: str, reason: str) -> bool:
    """DM the current guidance to a person who has not had it; True if it was sent now."""
    with session_scope(deps.engine) as session:
        if not claim_delivery(session=session, user_id=user_id, reason=reason, now=deps.clock()):
            return False
    try:
        post_messages(client, user_id, guidance_messages(deps, client, reason=reason))
    except (ConfigError, SlackApiError) as exc:
        why = slack_error(exc) if isinstance(exc, SlackApiError) else str(exc)
        log.warning("guidance not sent to %s (%s): %s", user_id, reason, why)
        with session_scope(deps.engine) as session:
            release_delivery(session=session, user_id=user_id)
        return False
    log.info("sent the guidance to %s (%s)", user_id, reason)
    return True


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError as exc:
        log.warning("no permalink for the guidance %s/%s: %s", channel, ts, slack_error(exc))
        return None


def guidance_link(deps: Deps, client: WebClient) -> str | None:
    """A link to the pinned message of the current guidance version, if there is one."""
    with session_scope(deps.engine) as session:
        version = current_version(session=session)
    if version is None or not version.channel_id or not version.message_ts:
        return None
    return _permalink(client, version.channel_id, version.message_ts)


class Published(StrEnum):
    """What `/dbm guidance publish` did."""

    POSTED = "posted"
    UNCHANGED = "unchanged"
    IN_PROGRESS = "in_progress"
    FAILED = "failed"


@dataclass(frozen=True)
class PublishResult:
    """The outcome of publishing, with the version and its link where there is one."""

    status: Published
    version: GuidanceVersion | None = None
    link: str | None = None
    unpinned: bool = False
    error: str | None = None


def _unpin(client: WebClient, version: GuidanceVersion | None) -> bool:
    if version is None or not version.channel_id or not version.message_ts:
        return False
    try:
        client.pins_remove(channel=version.channel_id, timestamp=version.message_ts)
    except SlackApiError as exc:  # no_pin: someone unpinned it by hand already
        log.info("previous guidance %s not unpinned: %s", version.id, slack_error(exc))
        return False
    return True


def _pin(client: WebClient, channel: str, ts: str) -> None:
    try:
        client.pins_add(channel=channel, timestamp=ts)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("guidance posted but not pinned in %s: %s; %s", channel, error, explain(error))


def publish_guidance(deps: Deps, client: WebClient, *, now: datetime, by: str) -> PublishResult:
    """Post the guidance file in the channel and pin it, unless it is the current version."""
    text = load_guidance(deps.settings)
    with session_scope(deps.engine) as session:
        claim = claim_publication(
            session=session, digest=text.content_hash, now=now, by=by, channel=deps.channel
        )
    if claim.outcome is Publication.UNCHANGED:
        return PublishResult(Published.UNCHANGED, claim.version, guidance_link(deps, client))
    if claim.outcome is Publication.IN_PROGRESS:
        return PublishResult(Published.IN_PROGRESS, claim.version)
    version = claim.version
    decision = Onboarding(Ask.CONFIRM, version.id, version.published_at)
    footer = welcome_footer(decision, deps.settings.meeting.timezone, _chairs(deps, client))
    messages = build_guidance_messages(text.markdown, footer)
    try:
        posted = post_messages(
            client, deps.channel, messages, all_or_none=True, version=text.content_hash
        )
    except (SlackApiError, SlackClientError, OSError) as exc:
        with session_scope(deps.engine) as session:
            release_publication(session=session, claim=claim)
        return PublishResult(Published.FAILED, error=failure(exc))
    _pin(client, deps.channel, posted[0])
    with session_scope(deps.engine) as session:
        version = mark_posted(session=session, claim=claim, message_ts=posted[0], now=now)
    unpinned = _unpin(client, claim.previous)
    log.info("published guidance version %s (%s)", version.id, version.content_hash[:12])
    link = _permalink(client, deps.channel, posted[0])
    return PublishResult(Published.POSTED, version, link, unpinned)


@dataclass(frozen=True)
class Acknowledged:
    """The outcome of an "I have read this" press."""

    version: GuidanceVersion | None  # None: the button named no published version
    recorded: bool = False
    newer: bool = False  # a newer version has been published since


def acknowledge_version(deps: Deps, *, user_id: str, value: str, now: datetime) -> Acknowledged:
    """Record "I have read this" for the version named on the button (idempotent)."""
    with session_scope(deps.engine) as session:
        known = value.isdigit() and len(value) <= 9  # an id, not whatever a payload carries
        version = version_by_id(session=session, version_id=int(value)) if known else None
        if version is None or version.id is None or not version.message_ts:
            return Acknowledged(None)
        recorded = acknowledge(session=session, user_id=user_id, version_id=version.id, now=now)
        current = current_version(session=session)
    return Acknowledged(version, recorded, current is not None and current.id != version.id)


def guidance_status(deps: Deps) -> tuple[GuidanceVersion, list[BodyMembers]] | None:
    """The current version and, by body, who has not confirmed reading it (None: unpublished)."""
    with session_scope(deps.engine) as session:
        version = current_version(session=session)
        if version is None or version.id is None:
            return None
        return version, unacknowledged_by_body(session=session, version_id=version.id)
