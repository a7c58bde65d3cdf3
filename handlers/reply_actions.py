"""Buttons on the private answer to a thread reply: *It's an event / a plan / a demand* (record
the reply as that kind, or change the kind worked out for it) and the form filled in with what
was read of the reply. The kind buttons change the record, so they are committed before the ack;
the form button only opens a form."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from blocks.ids import ActionId
from blocks.replies import (
    KIND_ACTIONS,
    build_answer,
    build_confirmation,
    confirmation_text,
    kind_of_action,
)
from blocks.text import escape
from handlers.answer import tell
from handlers.attendance import action_key
from handlers.listen import Listeners
from handlers.messages import react
from handlers.updates import actor_of, open_modal
from meeting.parsing import UpdateKind
from service.deps import Deps
from service.header import open_header_changed
from service.reply_choices import form_for_reply, parse_key
from service.reply_choices import record_as as record_reply_as
from service.reply_reading import Heard, ReplyResult
from service.updates import after_change
from slack_adapter.intake import Received

ODD_VALUE = "That button is not one I recognise any more. Nothing was changed."


def _action(body: dict[str, Any]) -> tuple[str, str]:
    action = (body.get("actions") or [{}])[0]
    return str(action.get("action_id") or ""), str(action.get("value") or "")


def _tell_result(deps: Deps, client: WebClient, received: Received, result: ReplyResult) -> None:
    update, view = result.update, result.confirmation
    if result.heard in (Heard.RECORDED, Heard.CHANGED) and update is not None:
        if result.heard is Heard.RECORDED and update.message_ts:
            react(client, update.channel_id, update.message_ts)
        if result.heard is Heard.CHANGED or (result.created and update.late):
            after_change(deps, client, update, result.briefing)
    if result.message:
        blocks = build_answer(result.message, result.offer)
        tell(client, received, escape(result.message), blocks)
    elif view is not None:
        blocks = build_confirmation(view)
        tell(client, received, confirmation_text(view), blocks, replace=True)


def handle_reply_as_action(deps: Deps, client: WebClient, received: Received) -> None:
    """Record a reply as the kind pressed, or change its update to that kind."""
    body = received.payload
    action_id, key = _action(body)
    kind = kind_of_action(action_id)
    if kind is None or parse_key(key) is None:
        tell(client, received, ODD_VALUE)
        return
    actor = actor_of(deps, client, body.get("user") or {})
    result = record_reply_as(
        deps, key=key, kind=UpdateKind(kind), actor=actor, now=received.received_at
    )
    _tell_result(deps, client, received, result)
    open_header_changed(deps, client)  # a new update checks its body in


def handle_reply_form_action(deps: Deps, client: WebClient, received: Received) -> None:
    """Open the update form filled in with what was read of a reply."""
    body = received.payload
    user = body.get("user") or {}
    _, key = _action(body)
    view = form_for_reply(
        deps, key=key, user_id=str(user.get("id")), team_id=user.get("team_id"),
        now=received.received_at,
    )  # fmt: skip
    problem = view if isinstance(view, str) else open_modal(client, str(body["trigger_id"]), view)
    if problem:
        tell(client, received, problem)


def register(app: App, listeners: Listeners) -> None:
    """Wire the buttons of the answers to replies."""
    for kind, action in KIND_ACTIONS.items():
        listeners.durable(
            app.action(action.value), f"reply_as_{kind}", handle_reply_as_action, action_key
        )
    listeners.durable(
        app.action(ActionId.REPLY_FORM.value), "reply_form", handle_reply_form_action,
        lambda body: None,
    )  # fmt: skip
