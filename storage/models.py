"""Tables. Datetimes are timezone-aware UTC; local time is for display and Excel only."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import StringList, UTCDateTime


def _at(*, nullable: bool = False, index: bool = False) -> datetime:
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)  # type: ignore[no-any-return]


def _at_optional(*, index: bool = False) -> datetime | None:
    return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)  # type: ignore[no-any-return]


class Body(SQLModel, table=True):
    """A law-enforcement body that can be invited to the meeting."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=200)
    # Slack Connect organisations (team ids) whose members speak for the body.
    external_team_ids: list[str] = Field(default_factory=list, sa_type=StringList, nullable=False)
    created_at: datetime = _at()


class Invitation(SQLModel, table=True):
    """A period during which a body was invited; invited_to is None while it still is."""

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    invited_from: date
    invited_to: date | None = None
    invited_by: str = Field(max_length=32)
    ended_by: str | None = Field(default=None, max_length=32)


class Member(SQLModel, table=True):
    """A Slack user who speaks for a body; removed_at is set when the mapping ends."""

    __table_args__ = (UniqueConstraint("slack_user_id", "body_id", name="uq_member_user_body"),)
    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str = Field(max_length=32, index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    added_by: str = Field(max_length=32)
    added_at: datetime = _at()
    removed_at: datetime | None = _at_optional()


class Briefing(SQLModel, table=True):
    """One briefing per channel per meeting date; the row is also the claim to post it."""

    __table_args__ = (
        UniqueConstraint("channel_id", "meeting_date", name="uq_briefing_channel_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel_id: str = Field(max_length=32)
    meeting_date: date = Field(index=True)
    status: str = Field(max_length=16)  # claimed | open | closed
    kind: str = Field(default="scheduled", max_length=16)  # scheduled | extra
    thread_ts: str | None = Field(default=None, max_length=32, index=True)
    events_from: datetime = _at()
    plans_until: datetime = _at()
    claimed_at: datetime = _at()
    claimed_by: str = Field(max_length=64)
    opened_at: datetime | None = _at_optional()
    opened_by: str | None = Field(default=None, max_length=32)
    closed_at: datetime | None = _at_optional()
    closed_by: str | None = Field(default=None, max_length=32)
    # When the running order was last posted: updates after it are marked so in the digest.
    running_order_at: datetime | None = _at_optional()


class StandDown(SQLModel, table=True):
    """A weekday on which the chair has stood the meeting down."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_date: date = Field(unique=True)
    reason: str = Field(max_length=300)
    by_user: str = Field(max_length=32)
    created_at: datetime = _at()


class Attendance(SQLModel, table=True):
    """A body's roll-call state at one briefing."""

    __table_args__ = (
        UniqueConstraint("briefing_id", "body_id", name="uq_attendance_briefing_body"),
    )
    id: int | None = Field(default=None, primary_key=True)
    briefing_id: int = Field(foreign_key="briefing.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    state: str = Field(max_length=16)  # present | nil | apologies | absent
    source: str = Field(max_length=16)  # button | update | chair | close
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime = _at()


class Update(SQLModel, table=True):
    """A structured update: a significant event, an operational plan or an urgent demand."""

    # The open demands, oldest first, are read at every header, prompt and close: this index
    # keeps that read to the open ones however many years of closed demands lie behind them.
    __table_args__ = (Index("ix_update_demand_status_created_at", "demand_status", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=120, unique=True)
    briefing_id: int = Field(foreign_key="briefing.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    author_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # event | plan | demand
    threats: list[str] = Field(default_factory=list, sa_type=StringList, nullable=False)  # codes
    occurs_at: datetime | None = _at_optional()
    location: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    marking: str = Field(default="OFFICIAL", max_length=32)
    status: str = Field(default="active", max_length=16)  # active | withdrawn
    source: str = Field(max_length=16)  # modal | reply
    channel_id: str = Field(max_length=32)
    message_ts: str | None = Field(default=None, max_length=32, index=True)
    late: bool = False
    # open | met | withdrawn | lapsed
    demand_status: str | None = Field(default=None, max_length=16)
    respond_body_id: int | None = Field(default=None, foreign_key="body.id")
    due_at: datetime | None = _at_optional()
    demand_closed_at: datetime | None = _at_optional()
    demand_closed_by: str | None = Field(default=None, max_length=32)
    # The raiser's latest "still needed", and the briefing it was given in.
    demand_renewed_at: datetime | None = _at_optional()
    demand_renewed_in: int | None = Field(default=None, foreign_key="briefing.id")
    # The briefing at whose close the demand lapsed (its digest says so).
    demand_lapsed_in: int | None = Field(default=None, foreign_key="briefing.id", index=True)
    created_at: datetime = _at(index=True)
    updated_at: datetime = _at()
    text_purged_at: datetime | None = _at_optional()


class DigestMessage(SQLModel, table=True):
    """One message of a briefing's posted digest (long digests span several)."""

    __table_args__ = (UniqueConstraint("briefing_id", "part", name="uq_digest_briefing_part"),)
    id: int | None = Field(default=None, primary_key=True)
    briefing_id: int = Field(foreign_key="briefing.id", index=True)
    part: int
    ts: str | None = Field(default=None, max_length=32)
    posted_at: datetime = _at()


class JobRun(SQLModel, table=True):
    """A claim that a once-only job (weekly export, reminder, close) ran for a key."""

    __table_args__ = (UniqueConstraint("job", "key", name="uq_jobrun_job_key"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=40)
    key: str = Field(max_length=80)
    status: str = Field(max_length=16)  # claimed | done
    claimed_at: datetime = _at()
    claimed_by: str = Field(max_length=64)
    done_at: datetime | None = _at_optional()
    detail: str | None = Field(default=None, max_length=500)


class AuditEntry(SQLModel, table=True):
    """Who did what, when, with the record before and after (JSON)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _at(index=True)
    actor: str = Field(max_length=32)
    action: str = Field(max_length=60, index=True)
    subject: str = Field(max_length=80)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class GuidanceVersion(SQLModel, table=True):
    """A published version of the participants' guidance."""

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True)
    published_at: datetime = _at()
    published_by: str = Field(max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)


class GuidanceAck(SQLModel, table=True):
    """A person's "I have read this" for one guidance version."""

    __table_args__ = (UniqueConstraint("slack_user_id", "version_id", name="uq_ack_user_version"),)
    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str = Field(max_length=32, index=True)
    version_id: int = Field(foreign_key="guidanceversion.id")
    acked_at: datetime = _at()


class GuidanceDelivery(SQLModel, table=True):
    """The guidance was sent to this person by direct message (once)."""

    slack_user_id: str = Field(primary_key=True, max_length=32)
    delivered_at: datetime = _at()
    reason: str = Field(max_length=32)  # new_member | first_post


class Refusal(SQLModel, table=True):
    """An update someone sent that could not be recorded, and why (once per reply or form)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True)  # the reply or form it came from
    at: datetime = _at(index=True)
    user_id: str = Field(max_length=32)
    body_id: int | None = Field(default=None, foreign_key="body.id", index=True)
    source: str = Field(max_length=16)  # reply | modal
    reason: str = Field(max_length=40)  # a code; meeting/labels.py says it in words


class Intake(SQLModel, table=True):
    """A request from Slack that changes the record, committed before Slack was answered.

    Its work runs right after the answer, and again on start while it is not done: Slack never
    redelivers a request it got a 200 for, so this row is the only copy.
    """

    key: str = Field(primary_key=True, max_length=160)  # one per Slack request (or reply)
    work: str = Field(max_length=40)  # which handler does its work
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the request body, JSON
    received_at: datetime = _at(index=True)
    done_at: datetime | None = _at_optional(index=True)


class RecordCanvas(SQLModel, table=True):
    """The Slack canvas holding one week's record of a channel's briefings (the row is also the
    claim to create it; canvas_id is empty until Slack has made it)."""

    __table_args__ = (
        UniqueConstraint("channel_id", "week_start", name="uq_recordcanvas_channel_week"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel_id: str = Field(max_length=32)
    week_start: date  # the week's Monday
    canvas_id: str | None = Field(default=None, max_length=32)
    permalink: str | None = Field(default=None, max_length=300)
    created_at: datetime = _at(index=True)
    deleted_at: datetime | None = _at_optional()


class RecordDay(SQLModel, table=True):
    """A briefing's day written to its week's canvas (the row is also the claim to write it)."""

    __table_args__ = (
        UniqueConstraint("record_canvas_id", "meeting_date", name="uq_recordday_canvas_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    record_canvas_id: int = Field(foreign_key="recordcanvas.id", index=True)
    briefing_id: int = Field(foreign_key="briefing.id", index=True)
    meeting_date: date
    status: str = Field(max_length=16)  # claimed | written
    claimed_at: datetime = _at()
    written_at: datetime | None = _at_optional()
    link_ts: str | None = Field(default=None, max_length=32)  # the thread's line linking it


class HealthProbe(SQLModel, table=True):
    """When each instance of the bot last committed its readiness check's write (one row a host).

    The row exists so that readiness can prove the database takes writes: a read-only or full
    database answers SELECT 1 and still loses every request it is given.
    """

    instance: str = Field(primary_key=True, max_length=120)  # the host (or container) name
    checked_at: datetime = _at(index=True)
