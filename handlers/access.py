"""The gate of every /dbm subcommand that shows briefing content."""

from __future__ import annotations

from blocks.access import build_access_refusal
from handlers.router import CommandRequest
from meeting.viewers import Viewer
from service.access import briefing_access


def meeting_viewer(request: CommandRequest) -> Viewer | None:
    """The caller if they may see briefing content; else they are told how to be added, and
    None."""
    access = briefing_access(
        request.deps,
        request.client,
        user_id=request.user_id,
        team_id=request.team_id or None,
        now=request.now,
    )
    if not access.allowed:
        request.reply(build_access_refusal())
        return None
    return access.viewer
