"""/dbm order: a chair posts the running order in the thread again; a participant sees it
privately."""

from __future__ import annotations

from slack_bolt import App

from blocks.running_order import build_running_order_fallback
from handlers.access import meeting_viewer
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from service.running_order import Ordered, current_order, post_running_order, running_order_parts

# A response_url takes at most five messages.
MAX_REPLIES = 5
NO_BRIEFING = "There is no open briefing, so there is no running order. Nothing was posted."


def _post(request: CommandRequest) -> None:
    result = post_running_order(request.deps, request.client, now=request.now, by=request.user_id)
    if result.status is Ordered.NO_BRIEFING:
        request.reply(NO_BRIEFING)
    elif result.status is Ordered.FAILED:
        request.reply(
            f"Slack refused the running order (`{result.error}`); nothing was posted. Check the "
            f"bot is in <#{request.deps.channel}> and try again."
        )
    else:
        parts = f" ({result.parts} messages)" if result.parts > 1 else ""
        request.reply(
            f"Posted the running order in the thread{parts}. Updates from now on are marked "
            '"after the running order" in the digest.'
        )


def _show(request: CommandRequest) -> None:
    found = current_order(request.deps)
    if found is None:
        request.reply(NO_BRIEFING.replace(" Nothing was posted.", ""))
        return
    briefing, order = found
    parts = running_order_parts(request.deps, order, briefing)
    for number, blocks in enumerate(parts[:MAX_REPLIES], start=1):
        request.reply(build_running_order_fallback(order, number, len(parts)), blocks)


def handle_order_command(request: CommandRequest) -> None:
    """Chairs: post the running order in the thread again. Participants: see it privately."""
    viewer = meeting_viewer(request)
    if viewer is None:
        return
    if viewer.is_chair:
        _post(request)
    else:
        _show(request)


SUBCOMMANDS = (
    Subcommand(
        "order",
        handle_order_command,
        "the running order of today's call (chairs: post it in the thread again)",
    ),
)


def register(app: App, listeners: Listeners) -> None:
    """Nothing to wire beyond the subcommand (the /dbm command is wired in handlers.commands)."""
