"""Buttons on update cards (edit, withdraw, demand met or no longer needed) and /dbm demands.

The buttons also appear in App Home, where the container is a view, not a message: there the
home is republished with the answer on top; elsewhere the answer goes to the presser.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from blocks.ids import ActionId
from blocks.updates import build_demand_list
from bot.background import deferred
from handlers.home import publish_home
from handlers.router import CommandRequest, Subcommand
from handlers.updates import actor_of, open_modal, tell
from meeting.demands import DemandStatus, list_open_demands
from service.deps import Deps, deps_of
from service.forms import modal_for_edit
from service.updates import Outcome, after_change, card_view, may_edit, settle_demand, withdraw
from storage.db import session_scope

log = logging.getLogger(__name__)


def _update_id(body: dict[str, Any]) -> int | None:
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    return int(value) if value.isdigit() else None


def _reply(
    deps: Deps, body: dict[str, Any], respond: Respond, client: WebClient, text: str
) -> None:
    """Pressed in App Home: refresh the home with the answer on top; else answer the presser."""
    if (body.get("container") or {}).get("type") == "view":
        publish_home(deps, client, str((body.get("user") or {}).get("id", "")), notice=text)
    else:
        tell(body, respond, client, text)


def _answer(outcome: Outcome, done: str, already: str) -> str:
    if outcome.invalid is not None:
        return outcome.invalid.message
    return done if outcome.changed else already


def handle_edit_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Open the edit modal for an update the presser may change."""
    ack()
    deps, update_id = deps_of(context), _update_id(body)
    actor = actor_of(deps, client, body.get("user") or {})
    problem = may_edit(deps, update_id=update_id, actor=actor)
    if problem is None and update_id is not None:
        view = modal_for_edit(deps, update_id=update_id)
        problem = (
            view if isinstance(view, str) else open_modal(client, str(body["trigger_id"]), view)
        )
    if problem:
        tell(body, respond, client, problem)


def handle_withdraw_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Withdraw an update from its card."""
    ack()
    deps = deps_of(context)
    actor = actor_of(deps, client, body.get("user") or {})
    outcome = withdraw(deps, update_id=_update_id(body), key=None, actor=actor, now=deps.clock())
    if outcome.changed and outcome.update is not None:
        after_change(deps, client, outcome.update, outcome.briefing)
    _reply(
        deps,
        body,
        respond,
        client,
        _answer(
            outcome,
            "Withdrawn. The digest no longer lists it.",
            "That update was already withdrawn.",
        ),
    )


def _settle(status: DemandStatus, done: str) -> Any:
    def handle(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        """Close an urgent demand from its card or the /dbm demands list."""
        ack()
        deps = deps_of(context)
        actor = actor_of(deps, client, body.get("user") or {})
        update_id = _update_id(body) or 0
        outcome = settle_demand(
            deps, update_id=update_id, status=status, actor=actor, now=deps.clock()
        )
        if outcome.changed and outcome.update is not None:
            after_change(deps, client, outcome.update, outcome.briefing)
        _reply(
            deps, body, respond, client, _answer(outcome, done, "That demand was already closed.")
        )

    handle.__name__ = f"handle_demand_{status.value}_action"
    return handle


handle_demand_met_action = _settle(
    DemandStatus.MET, "Marked met. It will not be carried into the next briefing."
)
handle_demand_withdraw_action = _settle(
    DemandStatus.WITHDRAWN,
    "Marked no longer needed. It will not be carried into the next briefing.",
)


def handle_demands_command(request: CommandRequest) -> None:
    """List the open urgent demands with buttons to close them."""
    deps = request.deps
    with session_scope(deps.engine) as session:
        demands = list_open_demands(session=session)
    cards = [card_view(deps, demand) for demand in demands]
    text = f"{len(cards)} open urgent demand(s)." if cards else "There are no open urgent demands."
    request.reply(text, blocks=build_demand_list(cards))


SUBCOMMANDS = (
    Subcommand("demands", handle_demands_command, "list open urgent demands and close them"),
)


def register(app: App) -> None:
    """Wire the card buttons."""
    app.action(ActionId.UPDATE_EDIT.value)(deferred(handle_edit_action))
    app.action(ActionId.UPDATE_WITHDRAW.value)(deferred(handle_withdraw_action))
    app.action(ActionId.DEMAND_MET.value)(deferred(handle_demand_met_action))
    app.action(ActionId.DEMAND_WITHDRAW.value)(deferred(handle_demand_withdraw_action))
