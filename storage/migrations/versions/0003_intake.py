"""durable intake of Slack requests (it replaces the table of event ids)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "intake",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("work", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("intake") as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_done_at"), ["done_at"], unique=False)
    op.drop_table("slackevent")


def downgrade() -> None:
    """Revert this revision."""
    op.create_table(
        "slackevent",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("slackevent") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slackevent_received_at"), ["received_at"], unique=False
        )
    op.drop_table("intake")
