"""Roll-call buttons, and /dbm present|nil|apologies|absent, status, remind, export and review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from blocks.attendance import build_answer_reply
from blocks.day import build_day_status, build_day_status_fallback
from blocks.ids import ActionId
from blocks.text import escape
from handlers.access import meeting_viewer
from handlers.answer import tell
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from meeting.attendance import Answer, State
from meeting.periods import PeriodError, parse_period
from meeting.standdowns import parse_day
from meeting.timefmt import fmt_day
from service.attendance import Press, answer_press, override_state
from service.deps import Deps
from service.export import Exported, post_weekly_export
from service.header import header_changed
from service.opening import permalink
from service.reminders import Reminded, send_reminder
from service.status import status_of
from slack_adapter.guard import CHANNEL_REFUSED
from slack_adapter.intake import Received

ROLL_CALL = {
    ActionId.ROLL_PRESENT: State.PRESENT,
    ActionId.ROLL_NIL: State.NIL,
    ActionId.ROLL_APOLOGIES: State.APOLOGIES,
}


def action_key(body: dict[str, Any]) -> str | None:
    """The intake key of a button press: Slack sends a replay with the same action_ts."""
    action = (body.get("actions") or [{}])[0]
    user = (body.get("user") or {}).get("id", "")
    return f"action:{user}:{action.get('action_id')}:{action.get('action_ts')}"


def _press(body: dict[str, Any]) -> Press:
    action = (body.get("actions") or [{}])[0]
    container, user = body.get("container") or {}, body.get("user") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    return Press(
        channel=str(channel),
        message_ts=str(container.get("message_ts", "")),
        user_id=str(user.get("id", "")),
        team_id=user.get("team_id"),
        state=ROLL_CALL[ActionId(action.get("action_id"))],
    )


def _roll_call_changed(deps: Deps, client: WebClient, answer: Answer) -> None:
    """The header shows the roll call: bring it up to date (paced, service/header.py)."""
    if answer.recorded and answer.briefing is not None:
        header_changed(deps, client, answer.briefing.id)


def handle_roll_call_action(deps: Deps, client: WebClient, received: Received) -> None:
    """A press of Present / Present, nothing to report / Send apologies on a briefing header."""
    press = _press(received.payload)
    answer = answer_press(deps, press, now=received.received_at)
    tell(client, received, build_answer_reply(answer, press.state))
    _roll_call_changed(deps, client, answer)


def _override_command(state: State) -> Callable[[CommandRequest], None]:
    def handle_override_command(request: CommandRequest) -> None:
        code, _, when = request.args.partition(" ")
        if not code:
            request.reply(f"Say which body: `/dbm {request.name} CODE [dd/mm/yyyy]`.")
            return
        day = parse_day(when) if when.strip() else None
        if when.strip() and day is None:
            request.reply(
                f"`{escape(when.strip())}` is not a date: write it day first, like 23/11/2026. "
                "Nothing was changed."
            )
            return
        answer = override_state(
            request.deps, code=code, state=state, day=day, actor=request.user_id, now=request.now
        )
        if answer is None:
            which = f"on {fmt_day(day)}" if day else "open"
            request.reply(f"There is no briefing {which}, so nothing was changed.")
            return
        request.reply(build_answer_reply(answer, state))
        _roll_call_changed(request.deps, request.client, answer)

    return handle_override_command


def handle_status_command(request: CommandRequest) -> None:
    """Where today's meeting stands: who to chase first, the counts, then who answered; after
    the close, what the digest holds; on a day without a meeting, why."""
    viewer = meeting_viewer(request)
    if viewer is None:
        return
    deps = request.deps
    status = status_of(deps, now=request.now)
    url = permalink(request.client, status.today.channel_id, status.today.thread_ts)
    zone = deps.settings.meeting.timezone
    request.reply(
        build_day_status_fallback(status, zone),
        build_day_status(status, zone, url, chair=viewer.is_chair),
    )


def handle_remind_command(request: CommandRequest) -> None:
    """Post one reminder in the thread now, naming bodies that have not answered."""
    result = send_reminder(
        request.deps, request.client, now=request.now, requested_by=request.user_id
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
    deps, now = request.deps, request.now
    try:
        period = parse_period(request.args, now.astimezone(deps.settings.meeting.timezone).date())
    except PeriodError as exc:
        request.reply(f"{escape(str(exc))} Nothing was posted.")
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
        "status", handle_status_command,
        "where today's meeting stands: who has not checked in yet, and who has",
        changes=False,
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


def register(app: App, listeners: Listeners) -> None:
    """Wire the roll-call buttons."""
    for action_id in ROLL_CALL:
        listeners.durable(
            app.action(action_id.value), "roll_call",
            handle_roll_call_action, action_key,
        )  # fmt: skip
