"""Who is looking, and what they may change: one rule for cards, lists and buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from meeting.roster import invited_among, speaker_bodies


@dataclass(frozen=True)
class Viewer:
    """A person as the rules see them: their Slack id, the bodies they speak for, chair or not."""

    user_id: str
    body_ids: frozenset[int]
    is_chair: bool = False


def viewer_of(*, session: Session, user_id: str, team_id: str | None, is_chair: bool) -> Viewer:
    """The viewer a Slack user is, with the bodies they speak for (members and Slack Connect)."""
    bodies = speaker_bodies(session=session, user_id=user_id, team_id=team_id)
    return Viewer(user_id, frozenset(b.id for b in bodies if b.id is not None), is_chair)


def may_change_as(viewer: Viewer, *, author_id: str, body_id: int) -> bool:
    """Authors, chairs and people speaking for the update's body may change it."""
    return viewer.is_chair or viewer.user_id == author_id or body_id in viewer.body_ids


def sees_briefing(*, session: Session, viewer: Viewer, day: date) -> bool:
    """Briefing content (update text, demands, the roll call, the running order) is for the
    meeting only: its chairs, and people who speak for a body invited on `day`."""
    if viewer.is_chair:
        return True
    return bool(invited_among(session=session, body_ids=viewer.body_ids, day=day))
