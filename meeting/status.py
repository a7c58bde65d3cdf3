"""What /dbm status answers: the day's state, then the roll call (who to chase first), then,
after the close, what the digest holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from config.files import Threat
from config.settings import MeetingSettings
from meeting.day import DayPhase, day_state
from meeting.digest import Digest, build_digest
from meeting.home import TodayBriefing, today_view
from meeting.rollcall import RollCallView, roll_call_view


@dataclass(frozen=True)
class DigestSummary:
    """What a closed briefing's digest holds, in numbers."""

    total: int
    events: int
    plans: int
    demands: int
    bodies: int
    cross_cutting: int
    late: int
    after_order: int
    lapsed: int


def summarise(digest: Digest) -> DigestSummary:
    """The numbers of a digest."""
    return DigestSummary(
        total=digest.total,
        events=sum(len(g.items) for g in digest.events),
        plans=len(digest.plans),
        demands=len(digest.demands),
        bodies=len(digest.counts),
        cross_cutting=digest.cross_cutting,
        late=digest.late,
        after_order=digest.after_order,
        lapsed=len(digest.lapsed),
    )


@dataclass(frozen=True)
class DayStatus:
    """The answer of /dbm status."""

    today: TodayBriefing
    roll: RollCallView | None = None  # when there is a briefing today
    digest: DigestSummary | None = None  # once it has closed


def day_status(
    *,
    session: Session,
    channel: str,
    now: datetime,
    meeting: MeetingSettings,
    threats: tuple[Threat, ...],
) -> DayStatus:
    """The status of today's meeting, with its roll call and, once closed, its digest."""
    state = day_state(session=session, channel=channel, now=now, meeting=meeting)
    today = today_view(state, channel)
    briefing = state.briefing
    if briefing is None or state.phase not in (DayPhase.OPEN, DayPhase.CLOSED):
        return DayStatus(today)
    roll = roll_call_view(session=session, briefing=briefing)
    if state.phase is not DayPhase.CLOSED:
        return DayStatus(today, roll)
    digest = build_digest(session=session, briefing=briefing, threats=threats)
    return DayStatus(today, roll, summarise(digest))
