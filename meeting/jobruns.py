"""Once-only job claims: a row under a unique (job, key) says the job ran (or is running)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from storage.models import JobRun


def claim_job(*, session: Session, job: str, key: str, now: datetime, claimer: str) -> bool:
    """Claim a job for a key; commits. False when any process claimed it before."""
    session.add(JobRun(job=job, key=key, status="claimed", claimed_at=now, claimed_by=claimer))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def finish_job(*, session: Session, job: str, key: str, now: datetime, detail: str) -> None:
    """Mark a claimed job done, with a short detail (ids, never update text)."""
    run = session.exec(select(JobRun).where(JobRun.job == job, JobRun.key == key)).first()
    if run is None:
        return
    run.status, run.done_at, run.detail = "done", now, detail[:500]
    session.add(run)
    session.commit()


def release_job(*, session: Session, job: str, key: str) -> None:
    """Give up a claim whose work failed, so a later run may try again."""
    session.execute(
        delete(JobRun).where(
            col(JobRun.job) == job, col(JobRun.key) == key, col(JobRun.status) == "claimed"
        )
    )
    session.commit()


def job_done(*, session: Session, job: str, key: str) -> bool:
    """True if a job was claimed (done or in progress) for a key."""
    query = select(JobRun.id).where(JobRun.job == job, JobRun.key == key)
    return session.exec(query).first() is not None


def take_over_stale(
    *, session: Session, job: str, key: str, now: datetime, claimer: str, stale_after: timedelta
) -> bool:
    """Take a claim whose process died before finishing (older than `stale_after`); commits."""
    taken = session.execute(
        update(JobRun)
        .where(col(JobRun.job) == job, col(JobRun.key) == key, col(JobRun.status) == "claimed")
        .where(col(JobRun.claimed_at) < now - stale_after)
        .values(claimed_at=now, claimed_by=claimer)
    )
    session.commit()
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]
