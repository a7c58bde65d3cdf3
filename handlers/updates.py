"""/dbm update, the "Add update" button, the update modal, and /dbm summary."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.digest import build_digest_fallback, build_digest_parts
from blocks.ids import ActionId, CallbackId
from bot.background import deferred, later
from handlers.router import CommandRequest, Subcommand
from meeting.digest import build_digest
from meeting.updates import Origin, current_briefing
from service.deps import Deps, deps_of
from service.forms import field_block, modal_for_new, read_form
from service.updates import Actor, Outcome, Submission, after_change, edit, post_card, submit
from slack_adapter.client import slack_error
from storage.db import session_scope

log = logging.getLogger(__name__)


def open_modal(client: WebClient, trigger_id: str, view: dict[str, Any]) -> str | None:
    """Open a modal; an error to show the person if Slack refused."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("views.open failed: %s", error)
        return f"Sorry, the form could not be opened (Slack said `{error}`). Please try again."
    return None


def handle_update_command(request: CommandRequest) -> None:
    """Open the update modal for the caller."""
    deps = request.deps
    view = modal_for_new(
        deps, user_id=request.user_id, team_id=request.team_id or None, now=deps.clock()
    )
    problem = (
        view if isinstance(view, str) else open_modal(request.client, request.trigger_id, view)
    )
    if problem:
        request.reply(problem)


def tell(body: dict[str, Any], respond: Respond, client: WebClient, text: str) -> None:
    """Answer the person who pressed a button: in place for messages, by DM from App Home."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    client.chat_postMessage(channel=str(body["user"]["id"]), text=text)


def handle_add_update_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """The header's "Add update" button: open the modal."""
    ack()
    deps = deps_of(context)
    user = body.get("user") or {}
    view = modal_for_new(
        deps, user_id=str(user.get("id")), team_id=user.get("team_id"), now=deps.clock()
    )
    problem = view if isinstance(view, str) else open_modal(client, str(body["trigger_id"]), view)
    if problem:
        tell(body, respond, client, problem)


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _present(view: dict[str, Any]) -> set[str]:
    return {str(block_id) for block_id in (view.get("state") or {}).get("values", {})}


def actor_of(deps: Deps, client: WebClient, user: dict[str, Any]) -> Actor:
    """The person behind an interaction, and whether they chair the meeting."""
    user_id = str(user.get("id"))
    return Actor(user_id, user.get("team_id"), deps.chairs.is_chair(user_id, client))


def handle_update_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Record a submitted update, or show what is wrong on the fields."""
    deps, meta, user = deps_of(context), _metadata(view), body.get("user") or {}
    form = read_form(view["state"]["values"], meta.get("body"))
    if form.data is None:
        ack(response_action="errors", errors=form.errors)
        return
    submission = Submission(
        user_id=str(user.get("id")),
        team_id=user.get("team_id"),
        body_code=form.body_code,
        data=form.data,
        origin=Origin(f"modal:{view['id']}", "modal", deps.channel),
        briefing_id=meta.get("briefing"),
    )
    outcome = submit(deps, submission, now=deps.clock())
    if outcome.invalid is not None:
        block = field_block(outcome.invalid.field, _present(view))
        ack(response_action="errors", errors={block: outcome.invalid.message[:1000]})
        return
    ack()
    later(deps, _after_submission, deps, client, outcome)


def _after_submission(deps: Deps, client: WebClient, outcome: Outcome) -> None:
    """Post the new update's card in the thread (and refresh a posted digest if it is late)."""
    if outcome.changed and outcome.update is not None and outcome.briefing is not None:
        post_card(deps, client, outcome.update, outcome.briefing)
        if outcome.update.late:
            after_change(deps, client, outcome.update, outcome.briefing)


def handle_edit_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save an edited update."""
    deps, meta = deps_of(context), _metadata(view)
    form = read_form(view["state"]["values"], None)
    if form.data is None:
        ack(response_action="errors", errors=form.errors)
        return
    actor = actor_of(deps, client, body.get("user") or {})
    update_id = int(meta.get("update") or 0)
    outcome = edit(
        deps, update_id=update_id, key=None, data=form.data, actor=actor, now=deps.clock()
    )
    if outcome.invalid is not None:
        block = field_block(outcome.invalid.field, _present(view))
        ack(response_action="errors", errors={block: outcome.invalid.message[:1000]})
        return
    ack()
    if outcome.changed and outcome.update is not None:
        later(deps, after_change, deps, client, outcome.update, outcome.briefing)


def handle_summary_command(request: CommandRequest) -> None:
    """Show the current briefing's digest to the caller only."""
    deps, now = request.deps, request.deps.clock()
    with session_scope(deps.engine) as session:
        briefing = current_briefing(
            session=session, channel=deps.channel, now=now, zone=deps.settings.meeting.timezone
        )
        digest = (
            build_digest(session=session, briefing=briefing, threats=deps.settings.threats)
            if briefing is not None
            else None
        )
    if digest is None:
        request.reply("No briefing is open today, so there is no digest to show yet.")
        return
    parts = build_digest_parts(digest, deps.settings.meeting.timezone)
    # A response_url takes at most five messages.
    for number, blocks in enumerate(parts[:5], start=1):
        request.reply(build_digest_fallback(digest, number, len(parts)), blocks=blocks)
    if len(parts) > 5:
        request.reply(f"The digest has {len(parts)} parts; the rest is posted when it closes.")


SUBCOMMANDS = (
    Subcommand(
        "update",
        handle_update_command,
        "add a significant event, an operational plan or an urgent demand",
    ),
    Subcommand("summary", handle_summary_command, "show the digest of today's briefing so far"),
)


def register(app: App) -> None:
    """Wire the button and the modal submissions."""
    app.action(ActionId.ADD_UPDATE.value)(deferred(handle_add_update_action))
    app.view(CallbackId.UPDATE_MODAL.value)(handle_update_submission)
    app.view(CallbackId.UPDATE_EDIT_MODAL.value)(handle_edit_submission)
