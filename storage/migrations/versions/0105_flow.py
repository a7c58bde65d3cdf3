"""urgent demands renewed and lapsed; the running order's time; an index for open demands

Revision ID: 0105_flow
Revises: 0002
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0105_flow"
down_revision: str | None = "0103_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("running_order_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("update", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("demand_renewed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("demand_renewed_in", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("demand_lapsed_in", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_update_demand_renewed_in_briefing", "briefing", ["demand_renewed_in"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_update_demand_lapsed_in_briefing", "briefing", ["demand_lapsed_in"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_update_demand_lapsed_in"), ["demand_lapsed_in"], unique=False
        )
        batch_op.create_index(
            "ix_update_demand_status_created_at", ["demand_status", "created_at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("update", schema=None) as batch_op:
        batch_op.drop_index("ix_update_demand_status_created_at")
        batch_op.drop_index(batch_op.f("ix_update_demand_lapsed_in"))
        batch_op.drop_constraint("fk_update_demand_lapsed_in_briefing", type_="foreignkey")
        batch_op.drop_constraint("fk_update_demand_renewed_in_briefing", type_="foreignkey")
        batch_op.drop_column("demand_lapsed_in")
        batch_op.drop_column("demand_renewed_in")
        batch_op.drop_column("demand_renewed_at")
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.drop_column("running_order_at")
