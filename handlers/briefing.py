"""/dbm open and /dbm close (the App Home's buttons say the same)."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient

from blocks.briefing import build_already_open, build_closed, build_opened
from blocks.day import build_open_refusal
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from service.closing import Closed, close_briefing_now
from service.deps import Deps
from service.opening import Opened, open_on_request, permalink
from service.renewals import prompt_raisers
from service.status import today_of


def open_answer(deps: Deps, client: WebClient, *, by: str, now: datetime) -> str:
    """Open today's briefing for a chair (unless the day's state says there is nothing to open:
    the same state /dbm status and the App Home give); what to tell them."""
    today = today_of(deps, now=now)
    refusal = build_open_refusal(today, permalink(client, today.channel_id, today.thread_ts))
    if refusal is not None:
        return refusal
    result = open_on_request(deps, client, now=now, by=by)
    prompt_raisers(deps, client, result.briefing, now)
    if result.status is Opened.FAILED:
        return (
            f"Could not post the briefing in <#{deps.channel}> (Slack said `{result.error}`). "
            "Nothing was opened; check the bot is in the channel and try again."
        )
    if result.status is Opened.IN_PROGRESS or result.briefing is None:
        return "Today's briefing is being opened right now; it will appear in a moment."
    day = result.briefing.meeting_date
    link = permalink(client, result.briefing.channel_id, result.briefing.thread_ts)
    if result.status is Opened.ALREADY_OPEN:
        return build_already_open(day, link)
    return build_opened(day, link)


def close_answer(deps: Deps, client: WebClient, *, by: str, now: datetime) -> str:
    """Close the open briefing for a chair; what to tell them."""
    result = close_briefing_now(deps, client, now=now, closed_by=by)
    if result.status is Closed.NOT_OPEN or result.briefing is None:
        return "There is no open briefing to close. Nothing was changed."
    return build_closed(result.briefing.meeting_date)


def handle_open_command(request: CommandRequest) -> None:
    """Open today's briefing now, or link to it if it is open already."""
    request.reply(open_answer(request.deps, request.client, by=request.user_id, now=request.now))


def handle_close_command(request: CommandRequest) -> None:
    """Close the open briefing now (the digest and absences follow)."""
    request.reply(close_answer(request.deps, request.client, by=request.user_id, now=request.now))


SUBCOMMANDS = (
    Subcommand("open", handle_open_command, "open today's briefing thread now", chair_only=True),
    Subcommand(
        "close",
        handle_close_command,
        "close the open briefing: post the digest and mark bodies without a record absent",
        chair_only=True,
    ),
)


def register(app: App, listeners: Listeners) -> None:
    """Nothing to wire beyond the subcommands (the /dbm command is wired in handlers.commands)."""
