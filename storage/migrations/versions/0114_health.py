"""a row per instance that readiness writes, to prove the database takes writes

Revision ID: 0114_health
Revises: 0105_flow
Create Date: 2026-12-04 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0114_health"
down_revision: str | None = "0105_flow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "healthprobe",
        sa.Column("instance", sa.String(length=120), nullable=False),
        sa.Column("checked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("instance"),
    )
    with op.batch_alter_table("healthprobe") as batch_op:
        batch_op.create_index(batch_op.f("ix_healthprobe_checked_at"), ["checked_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("healthprobe")
