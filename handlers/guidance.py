"""/dbm guidance (read, publish, status) and the guidance's buttons."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.guidance import (
    build_ack_reply,
    build_guidance_fallback,
    build_published,
    build_status,
    build_unchanged,
)
from blocks.ids import ActionId
from blocks.text import escape
from config.errors import ConfigError
from handlers.answer import tell
from handlers.attendance import action_key
from handlers.home import publish_home
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from meeting.timefmt import fmt_day
from service.deps import Deps
from service.guidance import (
    Published,
    acknowledge_version,
    guidance_messages,
    guidance_status,
    post_messages,
    publish_guidance,
)
from slack_adapter.client import slack_error
from slack_adapter.intake import Received

log = logging.getLogger(__name__)

# A response_url accepts five messages; the guidance normally needs one.
MAX_REPLIES = 5
BROKEN_FILE = (
    "The guidance is not available right now: its file has a problem. "
    "Please tell a chair (they can see the details in the bot's log)."
)


def _day(deps: Deps, published_at: datetime) -> str:
    return fmt_day(published_at.astimezone(deps.settings.meeting.timezone).date())


def _show(request: CommandRequest) -> None:
    try:
        messages = guidance_messages(request.deps, request.client)
    except ConfigError as exc:
        log.error("cannot show the guidance: %s", exc)
        request.reply(BROKEN_FILE)
        return
    shown = messages[:MAX_REPLIES]
    for number, blocks in enumerate(shown, start=1):
        request.reply(build_guidance_fallback(number, len(messages)), blocks)
    if len(messages) > len(shown):
        request.reply("The rest of the guidance is in the message pinned in the briefing channel.")


def _publish(request: CommandRequest) -> None:
    deps = request.deps
    try:
        result = publish_guidance(deps, request.client, now=request.now, by=request.user_id)
    except ConfigError as exc:
        request.reply(f"Nothing was published: {escape(str(exc))}")
        return
    if result.status is Published.FAILED:
        request.reply(
            f"Could not post the guidance in <#{deps.channel}> (Slack said `{result.error}`). "
            "Nothing was published; check the bot is in the channel and try again."
        )
    elif result.status is Published.IN_PROGRESS or result.version is None:
        request.reply("This guidance is being published right now; it will appear in a moment.")
    elif result.status is Published.UNCHANGED:
        request.reply(build_unchanged(_day(deps, result.version.published_at), result.link))
    else:
        request.reply(
            build_published(_day(deps, result.version.published_at), result.link, result.unpinned)
        )


def _status(request: CommandRequest) -> None:
    found = guidance_status(request.deps)
    if found is None:
        request.reply("No guidance has been published yet: use `/dbm guidance publish`.")
        return
    version, groups = found
    rows = [(group.code, group.name, group.user_ids) for group in groups]
    blocks = build_status(_day(request.deps, version.published_at), rows)
    request.reply(f"{sum(len(g.user_ids) for g in groups)} have not confirmed", blocks)


# What follows "/dbm guidance", and whether only chairs may use it.
SUBACTIONS = {
    "": (_show, False),
    "show": (_show, False),
    "publish": (_publish, True),
    "status": (_status, True),
}


def handle_guidance_command(request: CommandRequest) -> None:
    """Show the guidance; chairs also publish it and see who has not read it."""
    action = request.args.strip().lower()
    found = SUBACTIONS.get(action)
    if found is None:
        request.reply(
            f"`/dbm guidance {escape(request.args.strip())}` is not something I know. Use "
            "`/dbm guidance` to read it; chairs also have `/dbm guidance publish` and "
            "`/dbm guidance status`."
        )
        return
    run, chair_only = found
    if chair_only and not request.is_chair:
        request.reply(f"Only the meeting's chairs can use `/dbm guidance {action}`.")
        return
    run(request)


def handle_guidance_ack_action(deps: Deps, client: WebClient, received: Received) -> None:
    """Record "I have read this" for the version on the button (idempotent)."""
    body = received.payload
    user = str(body["user"]["id"])
    value = str((body.get("actions") or [{}])[0].get("value", ""))
    result = acknowledge_version(deps, user_id=user, value=value, now=received.received_at)
    if result.version is None:
        log.warning("guidance acknowledgement refused: no published version %r", value[:20])
        tell(client, received, "That guidance version is not known, so nothing was recorded.")
        return
    zone = deps.settings.meeting.timezone
    text = build_ack_reply(
        recorded=result.recorded,
        published_at=result.version.published_at,
        zone=zone,
        newer=result.newer,
    )
    if body.get("response_url"):
        tell(client, received, text)
    log.info("guidance version %s acknowledged by %s", result.version.id, user)
    publish_home(deps, client, user)


def handle_guidance_show_action(deps: Deps, client: WebClient, received: Received) -> None:
    """Send the guidance to the person by direct message (the App Home's button)."""
    user = str(received.payload["user"]["id"])
    try:
        post_messages(client, user, guidance_messages(deps, client))
        notice = "I have sent you the guidance: see the Messages tab of this app."
    except ConfigError as exc:
        log.error("cannot send the guidance: %s", exc)
        notice = BROKEN_FILE
    except SlackApiError as exc:
        log.warning("could not send the guidance to %s: %s", user, slack_error(exc))
        notice = "Sorry, I could not send you the guidance just now. Try `/dbm guidance`."
    publish_home(deps, client, user, notice=notice)


SUBCOMMANDS = (
    Subcommand(
        "guidance",
        handle_guidance_command,
        "read the guidance for participants (chairs: `publish` it after editing "
        "config/guidance.md; `status`: who has not confirmed reading it)",
        usage="[publish | status]",
        changes=lambda args: args.strip().lower() == "publish",
    ),
)


def register(app: App, listeners: Listeners) -> None:
    """Wire the guidance's buttons (the /dbm command is wired in handlers.commands)."""
    listeners.durable(
        app.action(ActionId.GUIDANCE_ACK), "guidance_ack", handle_guidance_ack_action, action_key
    )
    listeners.durable(
        app.action(ActionId.GUIDANCE_SHOW), "guidance_show", handle_guidance_show_action,
        lambda body: None,
    )  # fmt: skip
