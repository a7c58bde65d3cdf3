"""Attendance: one roll-call record per body per briefing; a later record replaces it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam
from sqlmodel import Session, select

from meeting.audit import record
from meeting.briefings import briefing_by_thread
from meeting.roster import body_by_code, invited_bodies, speaker_bodies
from storage.inserts import insert_new
from storage.models import Attendance, Body, Briefing


class State(StrEnum):
    """A body's roll-call state at a briefing."""

    PRESENT = "present"
    NIL = "nil"
    APOLOGIES = "apologies"
    ABSENT = "absent"


# Built once: every stored update looks up its body's record.
_RECORD = select(Attendance).where(
    Attendance.briefing_id == bindparam("briefing"), Attendance.body_id == bindparam("body")
)


def _stored(session: Session, briefing_id: int, body_id: int) -> Attendance | None:
    return session.exec(_RECORD, params={"briefing": briefing_id, "body": body_id}).first()


def get_attendance(*, session: Session, briefing_id: int, body_id: int) -> Attendance | None:
    """The record of a body at a briefing, if any."""
    return _stored(session, briefing_id, body_id)


def _insert_first(session: Session, row: Attendance) -> tuple[Attendance, bool]:
    """Insert a body's first record: it and True, or the record a concurrent request stored first
    and False.

    Two requests from one body (two replies, or a reply and a button press) can both find no
    record and both insert: the unique key lets one win, without failing the loser's transaction
    (which may hold the update that caused it).
    """
    stored = insert_new(session, row, "briefing_id", "body_id")
    if stored is not None:
        return stored, True
    winner = _stored(session, row.briefing_id, row.body_id)
    assert winner is not None, "the key was taken, so its record exists"
    return winner, False


def record_attendance(
    *,
    session: Session,
    briefing_id: int,
    body_id: int,
    state: State,
    source: str,
    actor: str,
    now: datetime,
) -> Attendance:
    """Set a body's state at a briefing (idempotent and race-safe; a change is audited)."""
    existing = get_attendance(session=session, briefing_id=briefing_id, body_id=body_id)
    row = Attendance(
        briefing_id=briefing_id,
        body_id=body_id,
        state=state,
        source=source,
        recorded_by=actor,
        recorded_at=now,
    )
    return _set_state(session, existing, row, state)


def _set_state(
    session: Session, existing: Attendance | None, row: Attendance, state: State
) -> Attendance:
    """Store `row` as the body's record, or copy it onto the record it already has."""
    after = {"state": state.value, "source": row.source}
    if existing is None:
        existing, inserted = _insert_first(session, row)
        if inserted:
            _audit(session, existing, None, after)
            return existing
    if existing.state == state:
        return existing
    before = {"state": existing.state, "by": existing.recorded_by}
    existing.state, existing.source = state, row.source
    existing.recorded_by, existing.recorded_at = row.recorded_by, row.recorded_at
    session.add(existing)
    _audit(session, row, before, after)
    return existing


def _audit(
    session: Session, row: Attendance, before: dict[str, str] | None, after: dict[str, str]
) -> None:
    record(
        session=session,
        now=row.recorded_at,
        actor=row.recorded_by,
        action="attendance.set",
        subject=f"briefing:{row.briefing_id}:body:{row.body_id}",
        before=before,
        after=after,
    )
    session.flush()


def mark_present_from_update(
    *, session: Session, briefing_id: int, body_id: int, actor: str, now: datetime
) -> Attendance:
    """Posting an update marks the body present, unless it already checked in."""
    existing = get_attendance(session=session, briefing_id=briefing_id, body_id=body_id)
    if existing is not None and existing.state in (State.PRESENT, State.NIL):
        return existing
    row = Attendance(
        briefing_id=briefing_id,
        body_id=body_id,
        state=State.PRESENT,
        source="update",
        recorded_by=actor,
        recorded_at=now,
    )
    return _set_state(session, existing, row, State.PRESENT)


STATE_NAMES = {
    State.PRESENT: "present",
    State.NIL: "present, nothing to report",
    State.APOLOGIES: "apologies",
    State.ABSENT: "absent",
}


def briefing_records(*, session: Session, briefing_id: int) -> dict[int, Attendance]:
    """A briefing's records, by body id."""
    query = select(Attendance).where(Attendance.briefing_id == briefing_id)
    return {row.body_id: row for row in session.exec(query)}


def mark_absent(*, session: Session, briefing: Briefing, actor: str, now: datetime) -> list[Body]:
    """Record absent every body invited on the briefing's day that has no record yet."""
    assert briefing.id is not None
    records = briefing_records(session=session, briefing_id=briefing.id)
    missing = [
        body
        for body in invited_bodies(session=session, day=briefing.meeting_date)
        if body.id not in records
    ]
    for body in missing:
        assert body.id is not None
        record_attendance(
            session=session,
            briefing_id=briefing.id,
            body_id=body.id,
            state=State.ABSENT,
            source="close",
            actor=actor,
            now=now,
        )
    return missing


@dataclass(frozen=True)
class RollCall:
    """Who has checked in at a briefing and who has not, by body code."""

    briefing: Briefing
    checked_in: list[tuple[Body, State]]
    missing: list[Body]


def roll_call(*, session: Session, briefing: Briefing) -> RollCall:
    """The roll call of a briefing: invited bodies with their state, and those without one."""
    assert briefing.id is not None
    records = briefing_records(session=session, briefing_id=briefing.id)
    checked_in: list[tuple[Body, State]] = []
    missing: list[Body] = []
    for body in invited_bodies(session=session, day=briefing.meeting_date):
        row = records.get(body.id or 0)
        if row is None:
            missing.append(body)
        else:
            checked_in.append((body, State(row.state)))
    return RollCall(briefing, checked_in, missing)


class Refusal(StrEnum):
    """Why a roll-call answer or a chair's override was not recorded."""

    NOT_A_BRIEFING = "not_a_briefing"
    CLOSED = "closed"
    NO_BODY = "no_body"
    NOT_INVITED = "not_invited"
    UNKNOWN_BODY = "unknown_body"


@dataclass(frozen=True)
class Answer:
    """The outcome of a roll-call answer: bodies recorded, each with its state before."""

    briefing: Briefing | None
    recorded: list[tuple[Body, State | None]] = field(default_factory=list)
    refusal: Refusal | None = None
    bodies: list[Body] = field(default_factory=list)


def answer_roll_call(
    *,
    session: Session,
    channel: str,
    message_ts: str,
    user_id: str,
    team_id: str | None,
    state: State,
    now: datetime,
) -> Answer:
    """Record a press of a roll-call button on a briefing header for the presser's bodies.

    Someone who speaks for several invited bodies (say London ROCU and the Met) answers for
    each of them: the meeting hears them once for all.
    """
    briefing = briefing_by_thread(session=session, channel=channel, thread_ts=message_ts)
    if briefing is None or briefing.id is None:
        return Answer(None, refusal=Refusal.NOT_A_BRIEFING)
    if briefing.status != "open":
        return Answer(briefing, refusal=Refusal.CLOSED)
    bodies = speaker_bodies(session=session, user_id=user_id, team_id=team_id)
    if not bodies:
        return Answer(briefing, refusal=Refusal.NO_BODY)
    invited = {b.id for b in invited_bodies(session=session, day=briefing.meeting_date)}
    answering = [b for b in bodies if b.id in invited]
    if not answering:
        return Answer(briefing, refusal=Refusal.NOT_INVITED, bodies=bodies)
    records = briefing_records(session=session, briefing_id=briefing.id)
    recorded: list[tuple[Body, State | None]] = []
    for body in answering:
        assert body.id is not None
        row = records.get(body.id)
        before = None if row is None else State(row.state)
        record_attendance(
            session=session,
            briefing_id=briefing.id,
            body_id=body.id,
            state=state,
            source="button",
            actor=user_id,
            now=now,
        )
        recorded.append((body, before))
    return Answer(briefing, recorded, bodies=bodies)


def override(
    *, session: Session, briefing: Briefing, code: str, state: State, actor: str, now: datetime
) -> Answer:
    """A chair sets a body's state at a briefing (the body must be invited that day)."""
    assert briefing.id is not None
    body = body_by_code(session=session, code=code)
    if body is None or body.id is None:
        return Answer(briefing, refusal=Refusal.UNKNOWN_BODY)
    invited = {b.id for b in invited_bodies(session=session, day=briefing.meeting_date)}
    if body.id not in invited:
        return Answer(briefing, refusal=Refusal.NOT_INVITED, bodies=[body])
    row = get_attendance(session=session, briefing_id=briefing.id, body_id=body.id)
    before = None if row is None else State(row.state)
    record_attendance(
        session=session,
        briefing_id=briefing.id,
        body_id=body.id,
        state=state,
        source="chair",
        actor=actor,
        now=now,
    )
    return Answer(briefing, [(body, before)], bodies=[body])
