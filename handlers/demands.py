"""/dbm demands (and `lapsed`), and the demand buttons *Still needed* and *Reopen*.

*Met* and *No longer needed* are wired with the update cards (handlers/update_actions.py); they
appear here too, on the demands the viewer may change, and on the morning's question.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from blocks.demands import (
    build_lapsed_demands,
    build_open_demands,
    build_renewal_reply,
    build_reopen_reply,
)
from blocks.ids import ActionId
from blocks.text import escape
from handlers.access import meeting_viewer
from handlers.attendance import action_key
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from handlers.update_actions import reply_to_press
from meeting.renewal import Renewed
from service.access import viewer_for
from service.deps import Deps
from service.header import open_header_changed
from service.renewals import demands_for, lapsed_demands, renew, reopen
from slack_adapter.intake import Received


def handle_demands_command(request: CommandRequest) -> None:
    """The open urgent demands, oldest first, with buttons only where the caller may change
    them; `lapsed`: those that lapsed (a chair can reopen them)."""
    viewer = meeting_viewer(request)
    if viewer is None:
        return
    zone = request.deps.settings.meeting.timezone
    which = request.args.strip().lower()
    if which == "lapsed":
        lapsed = lapsed_demands(request.deps, now=request.now)
        text = f"{len(lapsed)} lapsed urgent demand(s)."
        request.reply(text, build_lapsed_demands(lapsed, zone, chair=viewer.is_chair))
        return
    if which:
        request.reply(
            f"`/dbm demands {escape(which)}` is not something I know: use `/dbm demands` for "
            "the open urgent demands, or `/dbm demands lapsed` for those that lapsed."
        )
        return
    listed = demands_for(request.deps, viewer, now=request.now)
    count = len(listed.demands)
    text = f"{count} open urgent demand(s)." if count else "There are no open urgent demands."
    blocks = build_open_demands(listed.demands, zone, changeable=listed.changeable)
    request.reply(text, blocks)


def _pressed(deps: Deps, client: WebClient, body: dict[str, Any]) -> tuple[int, Any]:
    action = (body.get("actions") or [{}])[0]
    value = str(action.get("value") or "")
    user = body.get("user") or {}
    viewer = viewer_for(deps, client, user_id=str(user.get("id", "")), team_id=user.get("team_id"))
    return (int(value) if value.isdigit() else 0), viewer


def handle_renew_action(deps: Deps, client: WebClient, received: Received) -> None:
    """*Still needed* on the morning's question (or the /dbm demands list)."""
    update_id, viewer = _pressed(deps, client, received.payload)
    renewal = renew(deps, update_id=update_id, viewer=viewer, now=received.received_at)
    reply_to_press(deps, client, received, build_renewal_reply(renewal))


def handle_reopen_action(deps: Deps, client: WebClient, received: Received) -> None:
    """A chair's *Reopen* on a lapsed demand: carried into the briefings again."""
    update_id, viewer = _pressed(deps, client, received.payload)
    renewal = reopen(deps, update_id=update_id, viewer=viewer, now=received.received_at)
    if renewal.outcome is Renewed.REOPENED:
        open_header_changed(deps, client)
    reply_to_press(deps, client, received, build_reopen_reply(renewal))


SUBCOMMANDS = (
    Subcommand(
        "demands",
        handle_demands_command,
        "list the open urgent demands (`lapsed`: those that lapsed), and answer for your own",
        usage="[lapsed]",
        changes=False,
    ),
)


def register(app: App, listeners: Listeners) -> None:
    """Wire the demand buttons."""
    listeners.durable(
        app.action(ActionId.DEMAND_RENEW.value), "demand_renew", handle_renew_action, action_key
    )
    listeners.durable(
        app.action(ActionId.DEMAND_REOPEN.value), "demand_reopen", handle_reopen_action, action_key
    )
