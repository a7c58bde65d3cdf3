"""Where the day's record was written: each week's canvas, and the days already in it.

The rows are claims, like a briefing's: a week's canvas is claimed under its unique (channel,
week) key before Slack is asked to make it, and a day under (canvas, date) before it is added,
so a re-run of the close, or a second process, never writes a day twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, delete, select

from meeting.jobruns import claim_job
from storage.inserts import insert_new
from storage.models import Briefing, JobRun, RecordCanvas, RecordDay

# A claim older than this belongs to a process that died before finishing: it may be retried.
STALE_CLAIM = timedelta(minutes=10)
UNAVAILABLE_JOB = "record_canvas_unavailable"


def week_canvas(*, session: Session, channel: str, week_start: date) -> RecordCanvas | None:
    """The row of a channel's canvas for a week, if any."""
    query = select(RecordCanvas).where(
        RecordCanvas.channel_id == channel, RecordCanvas.week_start == week_start
    )
    return session.exec(query).first()


def claim_week_canvas(
    *, session: Session, channel: str, week_start: date, now: datetime
) -> RecordCanvas | None:
    """Claim the making of a week's canvas: the new row, or None if it was claimed before."""
    row = RecordCanvas(channel_id=channel, week_start=week_start, created_at=now)
    return insert_new(session, row, "channel_id", "week_start")


def latest_week(*, session: Session, channel: str) -> date | None:
    """The newest week that has a canvas row in a channel."""
    query = (
        select(RecordCanvas)
        .where(RecordCanvas.channel_id == channel)
        .order_by(col(RecordCanvas.week_start).desc())
    )
    newest = session.exec(query).first()
    return None if newest is None else newest.week_start


def stale(claimed_at: datetime, now: datetime) -> bool:
    """True when a claim is old enough that its process must have died."""
    return now - claimed_at >= STALE_CLAIM


def set_canvas(*, session: Session, row: RecordCanvas, canvas_id: str, now: datetime) -> None:
    """Record the id Slack gave the week's canvas (its age counts from now)."""
    row.canvas_id, row.created_at = canvas_id, now
    session.add(row)


def set_permalink(*, session: Session, row: RecordCanvas, permalink: str) -> None:
    """Record the canvas's link, asked of Slack once."""
    row.permalink = permalink
    session.add(row)


def release_week_canvas(*, session: Session, row: RecordCanvas) -> None:
    """Give up a claim whose canvas Slack did not make, so a later close tries again."""
    session.execute(
        delete(RecordCanvas).where(
            col(RecordCanvas.id) == row.id, col(RecordCanvas.canvas_id).is_(None)
        )
    )


def day_row(*, session: Session, canvas: RecordCanvas, day: date) -> RecordDay | None:
    """The row of a day in a week's canvas, if it was claimed or written."""
    query = select(RecordDay).where(
        RecordDay.record_canvas_id == canvas.id, RecordDay.meeting_date == day
    )
    return session.exec(query).first()


def claim_day(
    *, session: Session, canvas: RecordCanvas, briefing: Briefing, now: datetime
) -> RecordDay | None:
    """Claim the writing of a briefing's day: the new row, or None if it was claimed before."""
    assert canvas.id is not None and briefing.id is not None
    row = RecordDay(
        record_canvas_id=canvas.id,
        briefing_id=briefing.id,
        meeting_date=briefing.meeting_date,
        status="claimed",
        claimed_at=now,
    )
    return insert_new(session, row, "record_canvas_id", "meeting_date")


def retake_day(*, session: Session, row: RecordDay, now: datetime) -> None:
    """Take over a stale claim on a day."""
    row.claimed_at = now
    session.add(row)


def day_written(*, session: Session, row: RecordDay, now: datetime) -> None:
    """Record that the day is in the canvas."""
    row.status, row.written_at = "written", now
    session.add(row)


def release_day(*, session: Session, row: RecordDay) -> None:
    """Give up a claim on a day that could not be written, so a later close tries again."""
    session.execute(
        delete(RecordDay).where(col(RecordDay.id) == row.id, col(RecordDay.status) == "claimed")
    )


def set_link(*, session: Session, row: RecordDay, ts: str) -> None:
    """Record the thread's line linking the day's record."""
    row.link_ts = ts
    session.add(row)


def canvases_due(*, session: Session, before: datetime) -> list[RecordCanvas]:
    """Canvases made before an instant and not yet deleted, oldest first."""
    query = (
        select(RecordCanvas)
        .where(col(RecordCanvas.canvas_id).is_not(None), col(RecordCanvas.deleted_at).is_(None))
        .where(col(RecordCanvas.created_at) < before)
        .order_by(col(RecordCanvas.created_at))
    )
    return list(session.exec(query))


def mark_deleted(*, session: Session, row: RecordCanvas, now: datetime) -> None:
    """Record that a canvas was deleted (its days stay, as the record that they were written)."""
    row.deleted_at = now
    session.add(row)


def first_report(*, session: Session, error: str, now: datetime, claimer: str) -> bool:
    """True the first time a canvas problem is reported (until canvases work again); commits."""
    return claim_job(session=session, job=UNAVAILABLE_JOB, key=error, now=now, claimer=claimer)


def canvases_work(*, session: Session) -> None:
    """Canvases work again: a later problem is reported afresh."""
    session.execute(delete(JobRun).where(col(JobRun.job) == UNAVAILABLE_JOB))
