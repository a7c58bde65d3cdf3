"""threats and Slack Connect team ids as lists; refusals

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LISTS = (("update", "id", "threats"), ("body", "id", "external_team_ids"))


def _to_lists(table: str, key: str, column: str) -> None:
    """Copy a comma-separated text column into a new list column, then swap them."""
    connection = op.get_bind()
    op.add_column(table, sa.Column(f"{column}_list", storage.types.StringList, nullable=True))
    source = sa.table(table, sa.column(key), sa.column(column))
    target = sa.table(table, sa.column(key), sa.column(f"{column}_list", storage.types.StringList))
    for row_id, text in connection.execute(sa.select(source.c[key], source.c[column])).all():
        values = [part for part in (text or "").split(",") if part]
        connection.execute(
            target.update().where(target.c[key] == row_id).values({f"{column}_list": values})
        )
    with op.batch_alter_table(table) as batch_op:
        batch_op.drop_column(column)
        batch_op.alter_column(f"{column}_list", new_column_name=column, nullable=False)


def _to_text(table: str, key: str, column: str, length: int) -> None:
    connection = op.get_bind()
    op.add_column(table, sa.Column(f"{column}_text", sa.String(length), nullable=True))
    source = sa.table(table, sa.column(key), sa.column(column, storage.types.StringList))
    target = sa.table(table, sa.column(key), sa.column(f"{column}_text"))
    for row_id, values in connection.execute(sa.select(source.c[key], source.c[column])).all():
        connection.execute(
            target.update()
            .where(target.c[key] == row_id)
            .values({f"{column}_text": ",".join(values or [])})
        )
    with op.batch_alter_table(table) as batch_op:
        batch_op.drop_column(column)
        batch_op.alter_column(f"{column}_text", new_column_name=column, nullable=False)


def upgrade() -> None:
    """Apply this revision."""
    for table, key, column in _LISTS:
        _to_lists(table, key, column)
    op.create_table(
        "refusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["body.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("refusal") as batch_op:
        batch_op.create_index(batch_op.f("ix_refusal_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_refusal_body_id"), ["body_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("refusal")
    _to_text("update", "id", "threats", 300)
    _to_text("body", "id", "external_team_ids", 500)
