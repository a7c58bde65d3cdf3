"""the day's record: a canvas per channel and week, and the days written to it

Revision ID: 0103_record
Revises: 0002
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0103_record"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _canvas_table() -> None:
    op.create_table(
        "recordcanvas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("canvas_id", sa.String(length=32), nullable=True),
        sa.Column("permalink", sa.String(length=300), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id", "week_start", name="uq_recordcanvas_channel_week"),
    )
    with op.batch_alter_table("recordcanvas") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recordcanvas_created_at"), ["created_at"], unique=False
        )


def _day_table() -> None:
    op.create_table(
        "recordday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_canvas_id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("written_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("link_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["briefing_id"], ["briefing.id"]),
        sa.ForeignKeyConstraint(["record_canvas_id"], ["recordcanvas.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_canvas_id", "meeting_date", name="uq_recordday_canvas_date"),
    )
    with op.batch_alter_table("recordday") as batch_op:
        batch_op.create_index(batch_op.f("ix_recordday_briefing_id"), ["briefing_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_recordday_record_canvas_id"), ["record_canvas_id"], unique=False
        )


def upgrade() -> None:
    """Apply this revision."""
    _canvas_table()
    _day_table()


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("recordday")
    op.drop_table("recordcanvas")
