"""/dbm guidance (read, publish, status) and the guidance's buttons."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
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
from bot.background import deferred
from config.errors import ConfigError
from handlers.home import publish_home
from handlers.router import CommandRequest, Subcommand
from meeting.guidance import acknowledge, current_version, unacknowledged_by_body, version_by_id
from meeting.timefmt import fmt_day
from service.deps import Deps, deps_of
from service.guidance import Published, guidance_messages, post_messages, publish_guidance
from slack_adapter.client import slack_error
from storage.db import session_scope
from storage.models import GuidanceVersion

log = logging.getLogger(__name__)

# A response_url accepts five messages; the guidance normally needs one.
MAX_REPLIES = 5
BROKEN_FILE = (
    "The guidance is not available right now: its file has a problem. "
    "Please tell a chair (they can see the details in the bot's log)."
)


def _day(deps: Deps, version: GuidanceVersion) -> str:
    return fmt_day(version.published_at.astimezone(deps.settings.meeting.timezone).date())


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
        result = publish_guidance(deps, request.client, now=deps.clock(), by=request.user_id)
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
        request.reply(build_unchanged(_day(deps, result.version), result.link))
    else:
        request.reply(build_published(_day(deps, result.version), result.link, result.unpinned))


def _status(request: CommandRequest) -> None:
    deps = request.deps
    with session_scope(deps.engine) as session:
        version = current_version(session=session)
        if version is None or version.id is None:
            request.reply("No guidance has been published yet: use `/dbm guidance publish`.")
            return
        groups = unacknowledged_by_body(session=session, version_id=version.id)
    rows = [(group.code, group.name, group.user_ids) for group in groups]
    blocks = build_status(_day(deps, version), rows)
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


def _answer(body: dict[str, Any], respond: Respond, text: str) -> None:
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)


def handle_guidance_ack_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Record "I have read this" for the version on the button (idempotent)."""
    ack()
    deps, user = deps_of(context), str(body["user"]["id"])
    value = str((body.get("actions") or [{}])[0].get("value", ""))
    now = deps.clock()
    with session_scope(deps.engine) as session:
        version = version_by_id(session=session, version_id=int(value)) if value.isdigit() else None
        if version is None or version.id is None or not version.message_ts:
            log.warning("guidance acknowledgement refused: no published version %r", value[:20])
            _answer(body, respond, "That guidance version is not known, so nothing was recorded.")
            return
        recorded = acknowledge(session=session, user_id=user, version_id=version.id, now=now)
        current = current_version(session=session)
    newer = current is not None and current.id != version.id
    zone = deps.settings.meeting.timezone
    _answer(
        body,
        respond,
        build_ack_reply(
            recorded=recorded, published_at=version.published_at, zone=zone, newer=newer
        ),
    )
    log.info("guidance version %s acknowledged by %s (new: %s)", version.id, user, recorded)
    publish_home(deps, client, user)


def handle_guidance_show_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Send the guidance to the person by direct message (the App Home's button)."""
    ack()
    deps, user = deps_of(context), str(body["user"]["id"])
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
    ),
)


def register(app: App) -> None:
    """Wire the guidance's buttons (the /dbm command is wired in handlers.commands)."""
    app.action(ActionId.GUIDANCE_ACK)(deferred(handle_guidance_ack_action))
    app.action(ActionId.GUIDANCE_SHOW)(deferred(handle_guidance_show_action))
