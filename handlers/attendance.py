"""Roll-call buttons, and /dbm present|nil|apologies|absent, status, remind, export and review."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from blocks.attendance import build_answer_reply, build_status
from blocks.ids import ActionId
from bot.background import deferred
from bot.channel_guard import CHANNEL_REFUSED
from bot.deps import deps_of
from bot.export import Exported, post_weekly_export
from bot.reminders import Reminded, send_reminder
from handlers.router import CommandRequest, Subcommand
from meeting.attendance import State, answer_roll_call, override, roll_call
from meeting.briefings import get_briefing, open_briefing
from meeting.calendar import local_date
from meeting.periods import PeriodError, parse_period
from meeting.standdowns import parse_day
from meeting.timefmt import fmt_day
from storage.db import session_scope

log = logging.getLogger(__name__)

ROLL_CALL = {
    ActionId.ROLL_PRESENT: State.PRESENT,
    ActionId.ROLL_NIL: State.NIL,
    ActionId.ROLL_APOLOGIES: State.APOLOGIES,
}


def handle_roll_call_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """A press of Present / Present, nothing to report / Send apologies on a briefing header."""
    ack()
    deps = deps_of(context)
    action = (body.get("actions") or [{}])[0]
    state = ROLL_CALL[ActionId(action.get("action_id"))]
    container, user = body.get("container") or {}, body.get("user") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    try:
        with session_scope(deps.engine) as session:
            answer = answer_roll_call(
                session=session,
                channel=str(channel),
                message_ts=str(container.get("message_ts", "")),
                user_id=str(user.get("id", "")),
                team_id=user.get("team_id"),
                state=state,
                now=deps.clock(),
            )
        text = build_answer_reply(answer, state)
    except Exception:
        log.exception("roll call press by %s failed", user.get("id"))
        text = "Sorry, your answer could not be recorded on our side; please press again."
    # Without replace_original=False, Slack would replace the briefing header with the reply.
    respond(text=text, response_type="ephemeral", replace_original=False)


def _override_command(state: State) -> Callable[[CommandRequest], None]:
    def handle_override_command(request: CommandRequest) -> None:
        code, _, when = request.args.partition(" ")
        if not code:
            request.reply(f"Say which body: `/dbm {request.name} CODE [dd/mm/yyyy]`.")
            return
        day = parse_day(when) if when.strip() else None
        if when.strip() and day is None:
            request.reply(
                f"`{when.strip()}` is not a date: write it day first, like 23/11/2026. "
                "Nothing was changed."
            )
            return
        deps = request.deps
        with session_scope(deps.engine) as session:
            briefing = (
                open_briefing(session=session, channel=deps.channel)
                if day is None
                else get_briefing(session=session, channel=deps.channel, day=day)
            )
            if briefing is None or briefing.opened_at is None:
                which = f"on {fmt_day(day)}" if day else "open"
                request.reply(f"There is no briefing {which}, so nothing was changed.")
                return
            answer = override(
                session=session,
                briefing=briefing,
                code=code,
                state=state,
                actor=request.user_id,
                now=deps.clock(),
            )
        request.reply(build_answer_reply(answer, state))

    return handle_override_command


def handle_status_command(request: CommandRequest) -> None:
    """Who has checked in at the open briefing and who has not."""
    deps = request.deps
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        if briefing is None:
            request.reply("There is no open briefing. `/dbm open` opens today's.")
            return
        call = roll_call(session=session, briefing=briefing)
    blocks = build_status(call)
    request.reply(f"Roll call: {len(call.missing)} invited bodies yet to answer.", blocks)


def handle_remind_command(request: CommandRequest) -> None:
    """Post one reminder in the thread now, naming bodies that have not answered."""
    result = send_reminder(
        request.deps, request.client, now=request.deps.clock(), requested_by=request.user_id
    )
    replies = {
        Reminded.NO_BRIEFING: "There is no open briefing, so there is no one to remind.",
        Reminded.NOTHING_MISSING: "Every invited body has answered: no reminder was sent.",
        Reminded.FAILED: f"Slack refused the reminder (`{result.error}`); nothing was posted.",
        Reminded.SENT: f"Reminder posted in the thread for: {', '.join(result.missing)}.",
    }
    request.reply(replies.get(result.status, "No reminder sent."))


def handle_export_command(request: CommandRequest, *, review: bool = False) -> None:
    """Post a period's attendance workbook to the channel (this week by default)."""
    deps, now = request.deps, request.deps.clock()
    try:
        period = parse_period(request.args, local_date(now, deps.settings.meeting.timezone))
    except PeriodError as exc:
        request.reply(f"{exc} Nothing was posted.")
        return
    result = post_weekly_export(
        deps, request.client, now=now, period=period, requested_by=request.user_id, review=review
    )
    if result.status is Exported.FAILED and result.error == CHANNEL_REFUSED:
        request.reply(
            f"`{result.filename}` was not posted: <#{deps.channel}> failed the channel check "
            "(it must be private and shared only with invited bodies). The chairs were told why."
        )
        return
    if result.status is Exported.FAILED:
        request.reply(
            f"Slack refused the upload of `{result.filename}` (`{result.error}`); nothing was "
            "posted. Check the bot is in the channel and has the files:write scope."
        )
        return
    request.reply(f"Posted `{result.filename}` in <#{deps.channel}>.")


def handle_review_command(request: CommandRequest) -> None:
    """Post the membership review of a period (the workbook, opened at the review sheet)."""
    handle_export_command(request, review=True)


SUBCOMMANDS = (
    *(
        Subcommand(
            name,
            _override_command(state),
            f"record a body as {label} at the open briefing (or on a date)",
            usage="CODE [dd/mm/yyyy]",
            chair_only=True,
        )
        for name, state, label in (
            ("present", State.PRESENT, "present"),
            ("nil", State.NIL, "present with nothing to report"),
            ("apologies", State.APOLOGIES, "sending apologies"),
            ("absent", State.ABSENT, "absent"),
        )
    ),
    Subcommand(
        "status", handle_status_command, "who has and has not answered the roll call",
        chair_only=True,
    ),
    Subcommand(
        "remind", handle_remind_command,
        "remind, in the thread, the bodies that have not answered", chair_only=True,
    ),
    Subcommand(
        "export", handle_export_command,
        "post the attendance workbook of a week, month, quarter or dates to the channel",
        usage="[this|last|2026-W48|2026-11|2026-Q4|--from dd/mm/yyyy --to dd/mm/yyyy]",
        chair_only=True,
    ),
    Subcommand(
        "review", handle_review_command,
        "post the membership review of a period (bodies flagged, and why) to the channel",
        usage="[2026-Q4|2026-11|…]", chair_only=True,
    ),
)  # fmt: skip


def register(app: App) -> None:
    """Wire the roll-call buttons."""
    for action_id in ROLL_CALL:
        app.action(action_id.value)(deferred(handle_roll_call_action))
