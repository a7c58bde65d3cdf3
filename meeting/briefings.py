"""Briefings: claiming the day's briefing exactly once, opening, finding and closing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meeting.audit import record
from meeting.calendar import bank_holiday
from meeting.windows import Windows, windows_for
from storage.models import Briefing, StandDown

# A claim whose header is not in the channel after this long belongs to a run that died before
# posting: another run takes it over. A live run posts within its client's timeout (10 s, no
# blind retries of chat.postMessage) plus rate-limit waits; a claimer that posted and then died
# is found at once from the header's metadata in the channel, without waiting.
STALE_CLAIM = timedelta(minutes=1)


class ClaimOutcome(StrEnum):
    """What a claim on the day's briefing found."""

    CLAIMED = "claimed"  # this caller must post the header
    TAKEN_OVER = "taken_over"  # a stale claim (its process died) passed to this caller
    EXISTS = "exists"  # already open or closed
    IN_PROGRESS = "in_progress"  # another process holds a fresh claim


@dataclass(frozen=True)
class Claim:
    """The result of claiming a briefing."""

    outcome: ClaimOutcome
    briefing: Briefing

    @property
    def mine(self) -> bool:
        """True when the caller holds the claim and should post."""
        return self.outcome in (ClaimOutcome.CLAIMED, ClaimOutcome.TAKEN_OVER)


def get_briefing(*, session: Session, channel: str, day: date) -> Briefing | None:
    """The briefing of a channel on a meeting date, if any."""
    query = select(Briefing).where(Briefing.channel_id == channel, Briefing.meeting_date == day)
    return session.exec(query).first()


def briefing_by_thread(*, session: Session, channel: str, thread_ts: str) -> Briefing | None:
    """The briefing whose header message is `thread_ts` in `channel`."""
    query = select(Briefing).where(Briefing.channel_id == channel, Briefing.thread_ts == thread_ts)
    return session.exec(query).first()


def previous_briefing(*, session: Session, channel: str, before: date) -> Briefing | None:
    """The latest opened briefing of a channel before a date (one row: the ORM would load
    every earlier briefing to give the first, a cost that grew with the years)."""
    query = (
        select(Briefing)
        .where(Briefing.channel_id == channel, Briefing.meeting_date < before)
        .where(col(Briefing.opened_at).is_not(None))
        .order_by(col(Briefing.meeting_date).desc())
        .limit(1)
    )
    return session.exec(query).first()


def stand_down(*, session: Session, day: date) -> StandDown | None:
    """The stand-down recorded for a date, if any."""
    return session.exec(select(StandDown).where(StandDown.meeting_date == day)).first()


class NoMeetingKind(StrEnum):
    """Why a day has no scheduled meeting."""

    WEEKEND = "weekend"
    BANK_HOLIDAY = "bank_holiday"
    STAND_DOWN = "stand_down"


@dataclass(frozen=True)
class NoMeeting:
    """Why a day has no scheduled meeting: the kind, and the day's name, the bank holiday's
    name or the chair's reason for standing down."""

    kind: NoMeetingKind
    detail: str

    @property
    def text(self) -> str:
        """Like "Saturday", "bank holiday (Christmas Day)" or "stood down: exercise"."""
        if self.kind is NoMeetingKind.BANK_HOLIDAY:
            return f"bank holiday ({self.detail})"
        if self.kind is NoMeetingKind.STAND_DOWN:
            return f"stood down: {self.detail}"
        return self.detail


def why_no_meeting(*, session: Session, day: date, calendar: str) -> NoMeeting | None:
    """Why there is no scheduled meeting on a day (weekend, bank holiday, stand-down), or None."""
    if day.weekday() >= 5:
        return NoMeeting(NoMeetingKind.WEEKEND, day.strftime("%A"))
    holiday = bank_holiday(day, calendar)
    if holiday is not None:
        return NoMeeting(NoMeetingKind.BANK_HOLIDAY, holiday)
    down = stand_down(session=session, day=day)
    if down is not None:
        return NoMeeting(NoMeetingKind.STAND_DOWN, down.reason)
    return None


def no_meeting_reason(*, session: Session, day: date, calendar: str) -> str | None:
    """Why there is no scheduled meeting on a day, in words, or None."""
    why = why_no_meeting(session=session, day=day, calendar=calendar)
    return None if why is None else why.text


def windows_of(briefing: Briefing) -> Windows:
    """The stored windows of a briefing."""
    opened = briefing.opened_at or briefing.claimed_at
    return Windows(briefing.events_from, opened, briefing.plans_until)


def claim_briefing(
    *,
    session: Session,
    channel: str,
    day: date,
    now: datetime,
    claimer: str,
    kind: str = "scheduled",
    lookback_hours: int = 24,
    lookahead_hours: int = 72,
) -> Claim:
    """Claim the day's briefing under the unique (channel, date) key; commits the claim."""
    previous = previous_briefing(session=session, channel=channel, before=day)
    windows = windows_for(
        now,
        previous.opened_at if previous else None,
        lookback_hours=lookback_hours,
        lookahead_hours=lookahead_hours,
    )
    briefing = Briefing(
        channel_id=channel,
        meeting_date=day,
        status="claimed",
        kind=kind,
        events_from=windows.events_from,
        plans_until=windows.plans_until,
        claimed_at=now,
        claimed_by=claimer,
    )
    session.add(briefing)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return _existing_claim(session=session, channel=channel, day=day, now=now, claimer=claimer)
    return Claim(ClaimOutcome.CLAIMED, briefing)


def _existing_claim(
    *, session: Session, channel: str, day: date, now: datetime, claimer: str
) -> Claim:
    existing = get_briefing(session=session, channel=channel, day=day)
    assert existing is not None and existing.id is not None
    if existing.status != "claimed":
        return Claim(ClaimOutcome.EXISTS, existing)
    if now - existing.claimed_at < STALE_CLAIM:
        return Claim(ClaimOutcome.IN_PROGRESS, existing)
    taken = session.execute(
        update(Briefing)
        .where(col(Briefing.id) == existing.id, col(Briefing.status) == "claimed")
        .where(col(Briefing.claimed_at) == existing.claimed_at)
        .values(claimed_at=now, claimed_by=claimer)
    )
    session.commit()
    session.refresh(existing)
    if taken.rowcount == 1:  # type: ignore[attr-defined]
        return Claim(ClaimOutcome.TAKEN_OVER, existing)
    return Claim(ClaimOutcome.IN_PROGRESS, existing)


def mark_opened(
    *, session: Session, briefing: Briefing, thread_ts: str, now: datetime, opened_by: str
) -> Briefing:
    """Record that the header was posted: the briefing is open with its thread."""
    briefing.status = "open"
    briefing.thread_ts = thread_ts
    briefing.opened_at = now
    briefing.opened_by = opened_by
    session.add(briefing)
    record(
        session=session,
        now=now,
        actor=opened_by,
        action="briefing.open",
        subject=f"briefing:{briefing.id}",
        after={
            "meeting_date": briefing.meeting_date,
            "kind": briefing.kind,
            "thread_ts": thread_ts,
        },
    )
    session.commit()
    return briefing


def release_claim(*, session: Session, briefing: Briefing) -> None:
    """Give up a claim whose post failed, so a later run can try again."""
    session.execute(
        Briefing.__table__.delete().where(  # type: ignore[attr-defined]
            Briefing.__table__.c.id == briefing.id,  # type: ignore[attr-defined]
            Briefing.__table__.c.status == "claimed",  # type: ignore[attr-defined]
        )
    )
    session.commit()


def open_briefing(*, session: Session, channel: str) -> Briefing | None:
    """The channel's currently open briefing (latest first), if any."""
    query = (
        select(Briefing)
        .where(Briefing.channel_id == channel, Briefing.status == "open")
        .order_by(col(Briefing.meeting_date).desc())
        .limit(1)
    )
    return session.exec(query).first()


def close_briefing(*, session: Session, briefing: Briefing, now: datetime, closed_by: str) -> bool:
    """Mark an open briefing closed; False if it was not open (closing is idempotent)."""
    closed = session.execute(
        update(Briefing)
        .where(col(Briefing.id) == briefing.id, col(Briefing.status) == "open")
        .values(status="closed", closed_at=now, closed_by=closed_by)
    )
    if closed.rowcount == 1:  # type: ignore[attr-defined]
        record(
            session=session,
            now=now,
            actor=closed_by,
            action="briefing.close",
            subject=f"briefing:{briefing.id}",
            before={"status": "open"},
            after={"status": "closed"},
        )
    session.commit()
    session.refresh(briefing)
    return bool(closed.rowcount == 1)  # type: ignore[attr-defined]


def briefings_between(*, session: Session, start: date, end: date) -> list[Briefing]:
    """Briefings opened on meeting dates from `start` to `end` inclusive (any channel)."""
    query = (
        select(Briefing)
        .where(Briefing.meeting_date >= start, Briefing.meeting_date <= end)
        .where(col(Briefing.opened_at).is_not(None))
        .order_by(col(Briefing.meeting_date))
    )
    return list(session.exec(query))
