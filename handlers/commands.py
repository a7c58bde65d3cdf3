"""The /dbm slash command: committed before the ack when it changes the record, then run."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from blocks.text import escape
from handlers import attendance, audit, briefing, demands, guidance, order, roster, updates
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand, find, help_text, split_command
from meeting.reading import UNSTORABLE
from service.deps import Deps
from slack_adapter.intake import Received

log = logging.getLogger(__name__)

COMMAND = "/dbm"
SUBCOMMAND_MODULES = (briefing, guidance, attendance, roster, updates, demands, order, audit)


def _help(request: CommandRequest) -> None:
    request.reply(help_text(subcommand_table(), is_chair=request.is_chair))


HELP = Subcommand("help", _help, "show what you can do", aliases=("",), changes=False)


def subcommand_table() -> tuple[Subcommand, ...]:
    """Every /dbm subcommand, help first."""
    return (HELP, *(sub for module in SUBCOMMAND_MODULES for sub in module.SUBCOMMANDS))


def command_key(body: dict[str, Any]) -> str | None:
    """The intake key of a /dbm command that may change the record (a replay has the same)."""
    name, args = split_command(str(body.get("text", "")))
    sub = find(subcommand_table(), name)
    if sub is None or not sub.changes_record(args):
        return None
    return f"command:{body.get('trigger_id')}" if body.get("trigger_id") else None


def _request(deps: Deps, client: WebClient, received: Received) -> CommandRequest:
    body = received.payload
    name, args = split_command(str(body.get("text", "")))
    user_id = str(body.get("user_id", ""))
    return CommandRequest(
        deps=deps,
        client=client,
        received=received,
        user_id=user_id,
        channel_id=str(body.get("channel_id", "")),
        trigger_id=str(body.get("trigger_id", "")),
        name=name,
        args=args,
        is_chair=deps.chairs.is_chair(user_id, client),
        team_id=str(body.get("team_id", "")),
    )


def handle_dbm_command(deps: Deps, client: WebClient, received: Received) -> None:
    """Run the subcommand, refusing chair-only ones to others."""
    request = _request(deps, client, received)
    if UNSTORABLE in str(received.payload.get("text", "")):
        request.reply(
            "Your command has an invisible character that cannot be stored (a NUL, often pasted "
            "in from another system): type it again. Nothing was changed."
        )
        return
    sub = find(subcommand_table(), request.name)
    if sub is None:
        request.reply(
            f"`/dbm {escape(request.name)}` is not a command I know.\n\n"
            + help_text(subcommand_table(), is_chair=request.is_chair)
        )
        return
    if sub.chair_only and not request.is_chair:
        request.reply(f"Only the meeting's chairs can use `/dbm {sub.name}`. Try `/dbm help`.")
        return
    sub.run(request)


def register(app: App, listeners: Listeners) -> None:
    """Wire /dbm."""
    listeners.durable(app.command(COMMAND), "dbm", handle_dbm_command, command_key)
