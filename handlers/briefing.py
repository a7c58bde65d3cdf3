"""/dbm help and /dbm open."""

from __future__ import annotations

from slack_bolt import App

from blocks.briefing import build_already_open, build_closed, build_opened
from handlers.router import CommandRequest, Subcommand
from meeting.briefings import no_meeting_reason
from meeting.calendar import local_date
from service.closing import Closed, close_briefing_now
from service.opening import Opened, open_briefing_now, permalink
from storage.db import session_scope


def handle_open_command(request: CommandRequest) -> None:
    """Open today's briefing now, or link to it if it is open already."""
    deps, now = request.deps, request.deps.clock()
    meeting = deps.settings.meeting
    day = local_date(now, meeting.timezone)
    with session_scope(deps.engine) as session:
        extra = no_meeting_reason(session=session, day=day, calendar=meeting.bank_holidays)
    result = open_briefing_now(
        deps,
        request.client,
        now=now,
        opened_by=request.user_id,
        kind="extra" if extra else "scheduled",
    )
    if result.status is Opened.FAILED:
        request.reply(
            f"Could not post the briefing in <#{deps.channel}> (Slack said `{result.error}`). "
            "Nothing was opened; check the bot is in the channel and try again."
        )
        return
    if result.status is Opened.IN_PROGRESS:
        request.reply("Today's briefing is being opened right now; it will appear in a moment.")
        return
    assert result.briefing is not None
    link = permalink(request.client, result.briefing.channel_id, result.briefing.thread_ts)
    if result.status is Opened.ALREADY_OPEN:
        request.reply(build_already_open(day, link))
    else:
        request.reply(build_opened(day, link))


def handle_close_command(request: CommandRequest) -> None:
    """Close the open briefing now (the digest and absences follow)."""
    result = close_briefing_now(
        request.deps, request.client, now=request.deps.clock(), closed_by=request.user_id
    )
    if result.status is Closed.NOT_OPEN:
        request.reply("There is no open briefing to close. Nothing was changed.")
        return
    assert result.briefing is not None
    request.reply(build_closed(result.briefing.meeting_date))


SUBCOMMANDS = (
    Subcommand("open", handle_open_command, "open today's briefing thread now", chair_only=True),
    Subcommand(
        "close",
        handle_close_command,
        "close the open briefing: post the digest and mark bodies without a record absent",
        chair_only=True,
    ),
)


def register(app: App) -> None:
    """Nothing to wire beyond the subcommands (the /dbm command is wired in handlers.commands)."""
