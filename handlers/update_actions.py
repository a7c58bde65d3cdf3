"""Buttons on update cards (edit, withdraw, demand met or no longer needed).

The buttons also appear in App Home, where the container is a view, not a message: there the
home is republished with the answer on top; elsewhere the answer goes to the presser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from blocks.ids import ActionId
from handlers.answer import tell
from handlers.attendance import action_key
from handlers.home import publish_home
from handlers.listen import Listeners, Work
from handlers.messages import unreact
from handlers.updates import actor_of, open_modal
from meeting.demands import DemandStatus
from service.deps import Deps
from service.forms import modal_for_edit
from service.updates import Outcome, after_change, may_edit, settle_demand, withdraw
from slack_adapter.intake import Received

log = logging.getLogger(__name__)


def _update_id(body: dict[str, Any]) -> int | None:
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    return int(value) if value.isdigit() and len(value) <= 9 else None  # an id, nothing bigger


def reply_to_press(deps: Deps, client: WebClient, received: Received, text: str) -> None:
    """Pressed in App Home: refresh the home with the answer on top; else answer the presser."""
    body = received.payload
    if (body.get("container") or {}).get("type") == "view":
        publish_home(deps, client, str((body.get("user") or {}).get("id", "")), notice=text)
    else:
        tell(client, received, text)


def _answer(outcome: Outcome, done: str, already: str) -> str:
    if outcome.invalid is not None:
        return outcome.invalid.message
    return done if outcome.changed else already


def handle_edit_action(deps: Deps, client: WebClient, received: Received) -> None:
    """Open the edit modal for an update the presser may change."""
    body = received.payload
    update_id = _update_id(body)
    actor = actor_of(deps, client, body.get("user") or {})
    problem = may_edit(deps, update_id=update_id, actor=actor)
    if problem is None and update_id is not None:
        view = modal_for_edit(deps, update_id=update_id)
        problem = (
            view if isinstance(view, str) else open_modal(client, str(body["trigger_id"]), view)
        )
    if problem:
        reply_to_press(deps, client, received, problem)


def handle_withdraw_action(deps: Deps, client: WebClient, received: Received) -> None:
    """Withdraw an update from its card."""
    body = received.payload
    actor = actor_of(deps, client, body.get("user") or {})
    outcome = withdraw(
        deps, update_id=_update_id(body), key=None, actor=actor, now=received.received_at
    )
    if outcome.changed and outcome.update is not None:
        after_change(deps, client, outcome.update, outcome.briefing)
        if outcome.update.source == "reply" and outcome.update.message_ts:
            unreact(client, outcome.update.channel_id, outcome.update.message_ts)
    text = _answer(
        outcome, "Withdrawn. The digest no longer lists it.", "That update was already withdrawn."
    )
    reply_to_press(deps, client, received, text)


def _settle(status: DemandStatus, done: str) -> Work:
    def handle(deps: Deps, client: WebClient, received: Received) -> None:
        """Close an urgent demand from its card or the /dbm demands list."""
        body = received.payload
        actor = actor_of(deps, client, body.get("user") or {})
        outcome = settle_demand(
            deps,
            update_id=_update_id(body) or 0,
            status=status,
            actor=actor,
            now=received.received_at,
        )
        if outcome.changed and outcome.update is not None:
            after_change(deps, client, outcome.update, outcome.briefing)
        text = _answer(outcome, done, "That demand was already closed.")
        reply_to_press(deps, client, received, text)

    handle.__name__ = f"handle_demand_{status.value}_action"
    return handle


handle_demand_met_action = _settle(
    DemandStatus.MET, "Marked met. It will not be carried into the next briefing."
)
handle_demand_withdraw_action = _settle(
    DemandStatus.WITHDRAWN,
    "Marked no longer needed. It will not be carried into the next briefing.",
)


_NO_KEY: Callable[[dict[str, Any]], str | None] = lambda body: None  # noqa: E731 (opens a form)


def register(app: App, listeners: Listeners) -> None:
    """Wire the card buttons."""
    listeners.durable(app.action(ActionId.UPDATE_EDIT.value), "edit", handle_edit_action, _NO_KEY)
    for action_id, name, work in (
        (ActionId.UPDATE_WITHDRAW, "withdraw", handle_withdraw_action),
        (ActionId.DEMAND_MET, "demand_met", handle_demand_met_action),
        (ActionId.DEMAND_WITHDRAW, "demand_withdraw", handle_demand_withdraw_action),
    ):
        listeners.durable(app.action(action_id.value), name, work, action_key)
