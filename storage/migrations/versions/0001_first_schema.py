"""first schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 19:52:27.675383
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_at"), ["at"], unique=False)

    op.create_table(
        "body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("external_team_ids", sa.String(length=500), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_body_code"), ["code"], unique=True)

    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("events_from", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("plans_until", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("opened_by", sa.String(length=32), nullable=True),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id", "meeting_date", name="uq_briefing_channel_date"),
    )
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_briefing_meeting_date"), ["meeting_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_briefing_thread_ts"), ["thread_ts"], unique=False)

    op.create_table(
        "guidancedelivery",
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("delivered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("slack_user_id"),
    )
    op.create_table(
        "guidanceversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_table(
        "jobrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("done_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job", "key", name="uq_jobrun_job_key"),
    )
    op.create_table(
        "slackevent",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("slackevent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slackevent_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "standdown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("by_user", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_date"),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("briefing_id", "body_id", name="uq_attendance_briefing_body"),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_body_id"), ["body_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attendance_briefing_id"), ["briefing_id"], unique=False
        )

    op.create_table(
        "digestmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("posted_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("briefing_id", "part", name="uq_digest_briefing_part"),
    )
    with op.batch_alter_table("digestmessage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_digestmessage_briefing_id"), ["briefing_id"], unique=False
        )

    op.create_table(
        "guidanceack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("acked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["guidanceversion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_user_id", "version_id", name="uq_ack_user_version"),
    )
    with op.batch_alter_table("guidanceack", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guidanceack_slack_user_id"), ["slack_user_id"], unique=False
        )

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("invited_from", sa.Date(), nullable=False),
        sa.Column("invited_to", sa.Date(), nullable=True),
        sa.Column("invited_by", sa.String(length=32), nullable=False),
        sa.Column("ended_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_body_id"), ["body_id"], unique=False)

    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_user_id", "body_id", name="uq_member_user_body"),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_body_id"), ["body_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_member_slack_user_id"), ["slack_user_id"], unique=False
        )

    op.create_table(
        "update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("threats", sa.String(length=300), nullable=False),
        sa.Column("occurs_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("demand_status", sa.String(length=16), nullable=True),
        sa.Column("respond_body_id", sa.Integer(), nullable=True),
        sa.Column("due_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("demand_closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("demand_closed_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text_purged_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
        ),
        sa.ForeignKeyConstraint(
            ["respond_body_id"],
            ["body.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_update_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_update_briefing_id"), ["briefing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_update_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_update_message_ts"), ["message_ts"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_update_message_ts"))
        batch_op.drop_index(batch_op.f("ix_update_created_at"))
        batch_op.drop_index(batch_op.f("ix_update_briefing_id"))
        batch_op.drop_index(batch_op.f("ix_update_body_id"))

    op.drop_table("update")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_slack_user_id"))
        batch_op.drop_index(batch_op.f("ix_member_body_id"))

    op.drop_table("member")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_body_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("guidanceack", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guidanceack_slack_user_id"))

    op.drop_table("guidanceack")
    with op.batch_alter_table("digestmessage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digestmessage_briefing_id"))

    op.drop_table("digestmessage")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_briefing_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_body_id"))

    op.drop_table("attendance")
    op.drop_table("standdown")
    with op.batch_alter_table("slackevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slackevent_received_at"))

    op.drop_table("slackevent")
    op.drop_table("jobrun")
    op.drop_table("guidanceversion")
    op.drop_table("guidancedelivery")
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_thread_ts"))
        batch_op.drop_index(batch_op.f("ix_briefing_meeting_date"))

    op.drop_table("briefing")
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_code"))

    op.drop_table("body")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditentry_at"))
        batch_op.drop_index(batch_op.f("ix_auditentry_action"))

    op.drop_table("auditentry")
