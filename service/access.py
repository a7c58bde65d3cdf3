"""Who may see briefing content: one rule (meeting.viewers.sees_briefing) for every surface that
shows it (/dbm summary, demands, order and status, and the App Home)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient

from meeting.calendar import local_date
from meeting.viewers import Viewer, sees_briefing, viewer_of
from service.deps import Deps
from storage.db import session_scope


@dataclass(frozen=True)
class Access:
    """A person as the rules see them, and whether they may see the briefing's content."""

    viewer: Viewer
    allowed: bool


def briefing_access(
    deps: Deps, client: WebClient, *, user_id: str, team_id: str | None, now: datetime
) -> Access:
    """Whether a person may see today's briefing content: a chair, or someone who speaks for a
    body invited today."""
    is_chair = deps.chairs.is_chair(user_id, client)
    day = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        viewer = viewer_of(session=session, user_id=user_id, team_id=team_id, is_chair=is_chair)
        return Access(viewer, sees_briefing(session=session, viewer=viewer, day=day))


def viewer_for(deps: Deps, client: WebClient, *, user_id: str, team_id: str | None) -> Viewer:
    """The person behind a button press, with the bodies they speak for."""
    is_chair = deps.chairs.is_chair(user_id, client)
    with session_scope(deps.engine) as session:
        return viewer_of(session=session, user_id=user_id, team_id=team_id, is_chair=is_chair)
