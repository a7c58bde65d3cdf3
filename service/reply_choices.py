"""Buttons on the private answer to a thread reply: record the reply as the kind its sender
chose (two readings were possible, or the kind was worked out and is changed), or open the form
filled in with what was read of it.

A button's value is only the reply's key (Slack caps values at 2,000 characters and a reply may
be 40,000): the reply itself is read again from the durable intake, as last edited, at the time
it was read first, so a later press reads it exactly as the answer did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from blocks.replies import Offer
from meeting.briefings import briefing_by_thread
from meeting.labels import MAX_SUMMARY
from meeting.parsing import UpdateKind
from meeting.reading import Draft, Readable, Unreadable, draft_of, read_reply, read_reply_as
from meeting.roster import body_codes
from meeting.updates import update_by_key
from service.deps import Deps
from service.forms import modal_for_new
from service.replies import actor_of_reply, change_update
from service.reply_reading import Heard, ReplyResult, record_readable
from service.updates import Actor
from slack_adapter.intake import latest, stored
from storage.db import session_scope
from storage.models import Briefing

GONE = (
    "That reply is no longer held by the bot, so it cannot be recorded from here. Use *Add "
    "update* on the briefing header, or `/dbm update`, for the form."
)
WITHDRAWN = "The update recorded from that reply was withdrawn, so it cannot be changed."
NOT_SENDER = "Only the person who sent that reply can choose how it is recorded. Nothing changed."
NOT_YOUR_REPLY = "That form is for the person who sent the reply. Use `/dbm update` for your own."


@dataclass(frozen=True)
class StoredReply:
    """A thread reply as the intake holds it (as last edited) and when that text was read."""

    message: dict[str, Any]  # the message event: user, channel, ts, thread_ts, text
    read_at: datetime


def parse_key(key: str) -> tuple[str, str] | None:
    """(channel, ts) of a reply's key, or None for a value that is not one."""
    kind, _, rest = key.partition(":")
    channel, _, ts = rest.partition(":")
    return (channel, ts) if kind == "reply" and channel and ts else None


def stored_reply(deps: Deps, key: str) -> StoredReply | None:
    """The reply under a key as last edited, or None if the bot no longer holds it."""
    where = parse_key(key)
    original = stored(deps.engine, key) if where is not None else None
    if where is None or original is None:
        return None
    event = dict(original.payload.get("event") or {})
    if not event.get("user") or not event.get("thread_ts"):
        return None
    edit = latest(deps.engine, f"edit:{where[0]}:{where[1]}:")
    if edit is None:
        return StoredReply({**event, "channel": where[0]}, original.received_at)
    text = ((edit.payload.get("event") or {}).get("message") or {}).get("text")
    return StoredReply({**event, "channel": where[0], "text": text or ""}, edit.received_at)


def _briefing(session: Session, reply: StoredReply) -> Briefing | None:
    message = reply.message
    return briefing_by_thread(
        session=session, channel=str(message["channel"]), thread_ts=str(message["thread_ts"])
    )


def record_as(
    deps: Deps, *, key: str, kind: UpdateKind, actor: Actor, now: datetime
) -> ReplyResult:
    """Record a reply as a kind, or change the kind of the update recorded from it (pressed once
    or twice, the reply is recorded once)."""
    reply = stored_reply(deps, key)
    with session_scope(deps.engine) as session:
        briefing = _briefing(session, reply) if reply is not None else None
        if reply is None or briefing is None:
            return ReplyResult(Heard.UNCHANGED, GONE)
        meeting = deps.settings.meeting
        reading = read_reply_as(
            str(reply.message.get("text") or ""), kind, briefing_date=briefing.meeting_date,
            now=reply.read_at, zone=meeting.timezone, threats=deps.settings.threats,
            body_codes=body_codes(session=session),
        )  # fmt: skip
        if not isinstance(reading, Readable):
            offer = Offer(key) if reading.draft is not None else None
            return ReplyResult(Heard.UNCHANGED, reading.message, offer=offer)
        existing = update_by_key(session=session, key=key)
        if existing is not None and existing.status != "active":
            return ReplyResult(Heard.UNCHANGED, WITHDRAWN)
        if existing is not None:
            return change_update(session, deps, key, reading, actor, now)
        if actor.user_id != actor_of_reply(reply.message).user_id:
            return ReplyResult(Heard.UNCHANGED, NOT_SENDER)
        result = record_readable(session, deps, reply.message, briefing, reading, now)
    return result


def _draft(deps: Deps, reply: StoredReply) -> Draft | str:
    """What was read of a reply, for the form (a refusal for text that must not be kept)."""
    text = str(reply.message.get("text") or "")
    with session_scope(deps.engine) as session:
        briefing = _briefing(session, reply)
        if briefing is None:
            return GONE
        meeting = deps.settings.meeting
        reading = read_reply(
            text, briefing_date=briefing.meeting_date, now=reply.read_at,
            zone=meeting.timezone, threats=deps.settings.threats,
            body_codes=body_codes(session=session),
        )  # fmt: skip
    if isinstance(reading, Unreadable) and reading.draft is None:
        return reading.message  # marked SECRET or above: none of it goes into a form
    return draft_of(reading) or Draft(None, (), None, "")


def form_for_reply(
    deps: Deps, *, key: str, user_id: str, team_id: str | None, now: datetime
) -> dict[str, Any] | str:
    """The update form filled in with what was read of a reply (its text as the summary when
    nothing else was), or why it cannot be opened."""
    reply = stored_reply(deps, key)
    if reply is None:
        return GONE
    if str(reply.message.get("user")) != user_id:
        return NOT_YOUR_REPLY
    draft = _draft(deps, reply)
    if isinstance(draft, str):
        return draft
    if not draft.summary:
        text = str(reply.message.get("text") or "")
        summary = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        draft = Draft(draft.kind, draft.threats, draft.occurs_at, summary.strip()[:MAX_SUMMARY],
                      draft.location, draft.body_code)  # fmt: skip
    return modal_for_new(deps, user_id=user_id, team_id=team_id, now=now, draft=draft)
