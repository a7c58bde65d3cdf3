"""The /dbm slash command: ack at once, check who may run what, hand over to the subcommand."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.background import deferred
from bot.deps import deps_of
from handlers import attendance, audit, briefing, guidance, roster, update_actions, updates
from handlers.router import CommandRequest, Subcommand, find, help_text, split_command

log = logging.getLogger(__name__)

COMMAND = "/dbm"
SUBCOMMAND_MODULES = (briefing, guidance, attendance, roster, updates, update_actions, audit)


def _help(request: CommandRequest) -> None:
    request.reply(help_text(subcommand_table(), is_chair=request.is_chair))


HELP = Subcommand("help", _help, "show what you can do", aliases=("",))


def subcommand_table() -> tuple[Subcommand, ...]:
    """Every /dbm subcommand, help first."""
    return (HELP, *(sub for module in SUBCOMMAND_MODULES for sub in module.SUBCOMMANDS))


def _request(
    body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> CommandRequest:
    deps = deps_of(context)
    name, args = split_command(str(body.get("text", "")))
    user_id = str(body.get("user_id", ""))
    return CommandRequest(
        deps=deps,
        client=client,
        respond=respond,
        user_id=user_id,
        channel_id=str(body.get("channel_id", "")),
        trigger_id=str(body.get("trigger_id", "")),
        name=name,
        args=args,
        is_chair=deps.chairs.is_chair(user_id, client),
        team_id=str(body.get("team_id", "")),
    )


def handle_dbm_command(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Acknowledge, then run the subcommand, refusing chair-only ones to others."""
    ack()
    request = _request(body, context, client, respond)
    sub = find(subcommand_table(), request.name)
    if sub is None:
        request.reply(
            f"`/dbm {request.name}` is not a command I know.\n\n"
            + help_text(subcommand_table(), is_chair=request.is_chair)
        )
        return
    if sub.chair_only and not request.is_chair:
        request.reply(f"Only the meeting's chairs can use `/dbm {sub.name}`. Try `/dbm help`.")
        return
    try:
        sub.run(request)
    except Exception:
        log.exception("/dbm %s failed for user %s", sub.name, request.user_id)
        request.reply(
            f"Sorry, `/dbm {sub.name}` failed on our side and did not finish. "
            "Nothing you had recorded was lost; please try again, "
            "or tell a chair if it keeps failing."
        )


def register(app: App) -> None:
    """Wire /dbm."""
    app.command(COMMAND)(deferred(handle_dbm_command))
