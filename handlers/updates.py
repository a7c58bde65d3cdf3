"""/dbm update, the "Add update" button, the update modal, and /dbm summary."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.digest import build_digest_fallback, build_digest_parts
from blocks.ids import ActionId, CallbackId
from handlers.access import meeting_viewer
from handlers.answer import tell
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from meeting.updates import Origin
from service.deps import Deps
from service.digest import current_digest
from service.forms import Form, field_block, modal_for_new, read_form
from service.header import header_changed
from service.updates import (
    Actor,
    Submission,
    after_change,
    check_edit,
    check_submission,
    edit,
    post_card,
    submit,
)
from slack_adapter.client import slack_error
from slack_adapter.intake import Received

log = logging.getLogger(__name__)

# A response_url takes at most five messages.
MAX_REPLIES = 5


def open_modal(client: WebClient, trigger_id: str, view: dict[str, Any]) -> str | None:
    """Open a modal; an error to show the person if Slack refused."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("views.open failed: %s", error)
        return f"Sorry, the form could not be opened (Slack said `{error}`). Please try again."
    return None


def _offer_form(deps: Deps, client: WebClient, received: Received) -> str | None:
    body = received.payload
    user = body.get("user") or {}
    user_id = str(body.get("user_id") or user.get("id"))
    team = body.get("team_id") if "user_id" in body else user.get("team_id")
    view = modal_for_new(deps, user_id=user_id, team_id=team or None, now=received.received_at)
    if isinstance(view, str):
        return view
    return open_modal(client, str(body["trigger_id"]), view)


def handle_update_command(request: CommandRequest) -> None:
    """Open the update modal for the caller."""
    problem = _offer_form(request.deps, request.client, request.received)
    if problem:
        request.reply(problem)


def handle_add_update_action(deps: Deps, client: WebClient, received: Received) -> None:
    """The header's "Add update" button: open the modal."""
    problem = _offer_form(deps, client, received)
    if problem:
        tell(client, received, problem)


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def actor_of(deps: Deps, client: WebClient, user: dict[str, Any]) -> Actor:
    """The person behind an interaction, and whether they chair the meeting."""
    user_id = str(user.get("id"))
    return Actor(user_id, user.get("team_id"), deps.chairs.is_chair(user_id, client))


def view_key(body: dict[str, Any]) -> str | None:
    """The intake key of a modal submission: one per modal (a double submit has the same)."""
    return f"view:{(body.get('view') or {}).get('id')}"


def _form(body: dict[str, Any], fixed_body: str | None) -> Form:
    return read_form(body["view"]["state"]["values"], fixed_body)


def _submission(deps: Deps, body: dict[str, Any], form: Form) -> Submission:
    view, user = body["view"], body.get("user") or {}
    assert form.data is not None
    return Submission(
        user_id=str(user.get("id")),
        team_id=user.get("team_id"),
        body_code=form.body_code,
        data=form.data,
        origin=Origin(f"modal:{view['id']}", "modal", deps.channel),
        briefing_id=_metadata(view).get("briefing"),
    )


def _field_errors(body: dict[str, Any], field: str, message: str) -> dict[str, str]:
    present = {str(b) for b in (body["view"].get("state") or {}).get("values", {})}
    return {field_block(field, present): message[:1000]}


def check_new_update(deps: Deps, client: WebClient, body: dict[str, Any]) -> dict[str, str] | None:
    """What is wrong on the fields of a submitted update (nothing is stored if anything is)."""
    form = _form(body, _metadata(body["view"]).get("body"))
    if form.data is None:
        return form.errors
    invalid = check_submission(deps, _submission(deps, body, form), now=deps.clock())
    return None if invalid is None else _field_errors(body, invalid.field, invalid.message)


def handle_update_submission(deps: Deps, client: WebClient, received: Received) -> None:
    """Record a submitted update (checked before the ack) and post its card in the thread."""
    body = received.payload
    form = _form(body, _metadata(body["view"]).get("body"))
    outcome = submit(deps, _submission(deps, body, form), now=received.received_at)
    if outcome.invalid is not None:
        tell(client, received, f"Your update was not recorded: {outcome.invalid.message}.")
    elif outcome.changed and outcome.update is not None and outcome.briefing is not None:
        post_card(deps, client, outcome.update, outcome.briefing)
        if outcome.update.late:
            after_change(deps, client, outcome.update, outcome.briefing)
        header_changed(deps, client, outcome.briefing.id)  # the update checked its body in


def check_edited_update(
    deps: Deps, client: WebClient, body: dict[str, Any]
) -> dict[str, str] | None:
    """What is wrong on the fields of an edited update."""
    form = _form(body, None)
    if form.data is None:
        return form.errors
    actor = actor_of(deps, client, body.get("user") or {})
    update_id = int(_metadata(body["view"]).get("update") or 0)
    invalid = check_edit(deps, update_id=update_id, data=form.data, actor=actor, now=deps.clock())
    return None if invalid is None else _field_errors(body, invalid.field, invalid.message)


def handle_edit_submission(deps: Deps, client: WebClient, received: Received) -> None:
    """Save an edited update (checked before the ack)."""
    body = received.payload
    form = _form(body, None)
    assert form.data is not None
    actor = actor_of(deps, client, body.get("user") or {})
    update_id = int(_metadata(body["view"]).get("update") or 0)
    outcome = edit(
        deps, update_id=update_id, key=None, data=form.data, actor=actor, now=received.received_at
    )
    if outcome.invalid is not None:
        tell(client, received, f"Your change was not saved: {outcome.invalid.message}.")
    elif outcome.changed and outcome.update is not None:
        after_change(deps, client, outcome.update, outcome.briefing)


def handle_summary_command(request: CommandRequest) -> None:
    """Show the current briefing's digest to the caller only (chairs and participants)."""
    if meeting_viewer(request) is None:
        return
    digest = current_digest(request.deps, now=request.now)
    if digest is None:
        request.reply("No briefing is open today, so there is no digest to show yet.")
        return
    parts = build_digest_parts(digest, request.deps.settings.meeting.timezone)
    for number, blocks in enumerate(parts[:MAX_REPLIES], start=1):
        request.reply(build_digest_fallback(digest, number, len(parts)), blocks=blocks)
    if len(parts) > MAX_REPLIES:
        request.reply(f"The digest has {len(parts)} parts; the rest is posted when it closes.")


SUBCOMMANDS = (
    Subcommand(
        "update",
        handle_update_command,
        "add a significant event, an operational plan or an urgent demand",
        changes=False,
    ),
    Subcommand(
        "summary",
        handle_summary_command,
        "show the digest of today's briefing so far",
        changes=False,
    ),
)


def register(app: App, listeners: Listeners) -> None:
    """Wire the button and the modal submissions."""
    listeners.durable(
        app.action(ActionId.ADD_UPDATE.value), "add_update", handle_add_update_action,
        lambda body: None,
    )  # fmt: skip
    listeners.durable(
        app.view(CallbackId.UPDATE_MODAL.value), "update_form", handle_update_submission,
        view_key, check=check_new_update,
    )  # fmt: skip
    listeners.durable(
        app.view(CallbackId.UPDATE_EDIT_MODAL.value), "update_edit_form", handle_edit_submission,
        view_key, check=check_edited_update,
    )  # fmt: skip
