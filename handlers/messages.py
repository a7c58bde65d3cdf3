"""Messages in the briefing channel: replies in a briefing's thread become updates.

A reply is committed to the intake before Slack is answered, then read: recorded (✅, and a
private note saying how it was read, with Edit and Withdraw), a nil return recorded (✅ and a
note), or answered privately with what could not be read (and the choices, or the form filled
in); only conversation is left alone. Editing the reply edits the update; deleting it withdraws
the update.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.replies import (
    Confirmation,
    Offer,
    build_answer,
    build_confirmation,
    build_nil_confirmation,
    confirmation_text,
    nil_text,
)
from blocks.text import escape
from handlers.answer import tell_in_thread
from handlers.listen import Listeners
from service.deps import Deps
from service.guidance import deliver_once
from service.header import header_changed, open_header_changed
from service.replies import (
    ACK_REACTION,
    Heard,
    ReplyResult,
    edit_reply,
    is_human,
    record_reply,
    reply_key,
    withdraw_reply,
)
from service.updates import after_change
from slack_adapter.client import slack_error
from slack_adapter.intake import Received, forget_text

log = logging.getLogger(__name__)


def message_key(channel: str, body: dict[str, Any]) -> str | None:
    """The intake key of a message event in the briefing channel (None: nothing to record)."""
    event = body.get("event") or {}
    if event.get("channel") != channel:
        return None
    subtype = event.get("subtype")
    if subtype == "message_changed":
        message = event.get("message") or {}
        before = event.get("previous_message") or {}
        if not is_human(message) or message.get("text") == before.get("text"):
            return None  # link unfurls and reply counts also arrive as message_changed
        edited = (message.get("edited") or {}).get("ts") or event.get("event_ts")
        return f"edit:{channel}:{message.get('ts')}:{edited}"
    if subtype == "message_deleted":
        return f"delete:{channel}:{event.get('deleted_ts')}"
    return reply_key(channel, str(event["ts"])) if is_human(event) else None


def react(client: WebClient, channel: str, ts: str) -> None:
    """Mark a recorded reply with ✅ (a repeat of the reaction is harmless)."""
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=ACK_REACTION)
    except SlackApiError as exc:
        if slack_error(exc) != "already_reacted":
            log.warning("reaction on %s/%s failed: %s", channel, ts, slack_error(exc))


def unreact(client: WebClient, channel: str, ts: str) -> None:
    """Take the ✅ off a reply whose update was withdrawn (already gone is fine)."""
    try:
        client.reactions_remove(channel=channel, timestamp=ts, name=ACK_REACTION)
    except SlackApiError as exc:
        if slack_error(exc) not in ("no_reaction", "message_not_found"):
            log.warning("removing the reaction on %s/%s failed: %s", channel, ts, slack_error(exc))


def answer_about(
    client: WebClient, message: dict[str, Any], text: str, offer: Offer | None = None
) -> None:
    """Say privately, in the thread, what could not be read (the sender's words escaped)."""
    tell_in_thread(client, message, escape(text), blocks=build_answer(text, offer))


def confirm(client: WebClient, message: dict[str, Any], view: Confirmation | None) -> None:
    """Tell the sender privately how their reply was recorded."""
    if view is not None:
        tell_in_thread(client, message, confirmation_text(view), blocks=build_confirmation(view))


def _guide(deps: Deps, client: WebClient, message: dict[str, Any]) -> None:
    try:
        deliver_once(deps, client, user_id=str(message["user"]), reason="first_post")
    except Exception as exc:
        log.error("guidance delivery failed for %s: %s", message["user"], type(exc).__name__)


def _answer(deps: Deps, client: WebClient, message: dict[str, Any], result: ReplyResult) -> None:
    _acknowledge(deps, client, message, result)
    if result.needs_guidance:  # after the ✅ or the answer: those are what the sender waits for
        _guide(deps, client, message)


def _acknowledge(
    deps: Deps, client: WebClient, message: dict[str, Any], result: ReplyResult
) -> None:
    if result.heard is Heard.REFUSED and result.message:
        answer_about(client, message, result.message, result.offer)
    elif result.heard is Heard.NIL and result.nil is not None:
        react(client, str(message["channel"]), str(message["ts"]))
        blocks = build_nil_confirmation(result.nil)
        tell_in_thread(client, message, nil_text(result.nil), blocks=blocks)
        open_header_changed(deps, client)  # the body checked in
    elif result.heard is Heard.RECORDED:
        react(client, str(message["channel"]), str(message["ts"]))
        confirm(client, message, result.confirmation)
        if result.created and result.update is not None:
            log.info("update %s stored from reply %s", result.update.id, message["ts"])
            if result.update.late:
                after_change(deps, client, result.update, result.briefing)
            header_changed(deps, client, result.update.briefing_id)  # its body checked in


def _changed(deps: Deps, client: WebClient, message: dict[str, Any], result: ReplyResult) -> None:
    if result.heard is Heard.CHANGED and result.update is not None:
        after_change(deps, client, result.update, result.briefing)
        confirm(client, message, result.confirmation)
    elif result.heard is Heard.UNCHANGED and result.message:
        answer_about(client, message, result.message, result.offer)
    else:
        _answer(deps, client, message, result)


def _handle(deps: Deps, client: WebClient, event: dict[str, Any], now: datetime) -> ReplyResult:
    """Read, record and answer one message event; what became of it."""
    subtype = event.get("subtype")
    if subtype == "message_changed":
        message = {**(event.get("message") or {}), "channel": deps.channel}
        result = edit_reply(deps, message, now=now)
        _changed(deps, client, message, result)
        return result
    if subtype == "message_deleted":
        result = withdraw_reply(deps, deps.channel, event, now=now)
        if result.heard is Heard.CHANGED and result.update is not None:
            log.info("update %s withdrawn: its reply was deleted", result.update.id)
            after_change(deps, client, result.update, result.briefing)
        return result
    if not is_human(event):
        return ReplyResult(Heard.LEFT_ALONE)
    result = record_reply(deps, event, now=now)
    _answer(deps, client, event, result)
    return result


def handle_message(deps: Deps, client: WebClient, received: Received) -> None:
    """A message event in the briefing channel, by its subtype."""
    event = received.payload.get("event") or {}
    if event.get("channel") != deps.channel:
        return
    if _handle(deps, client, event, received.received_at).code == "classified":
        forget_text(deps.engine, received.key)  # marked SECRET or above: keep none of it


def register(app: App, listeners: Listeners) -> None:
    """Wire the message listener."""
    channel = listeners.deps.channel
    listeners.durable(
        app.event("message"), "message", handle_message, lambda body: message_key(channel, body)
    )
