"""Insert-once writes: a row goes in unless its unique key is taken, without a savepoint.

Slack retries and two people pressing at once both end here. `INSERT ... ON CONFLICT DO
NOTHING` settles the race in one statement on SQLite and PostgreSQL alike, where a savepoint
around a plain INSERT costs three statements and an exception on the losing side. The
statements are built once and run on the session's connection: these writes are on the path of
every thread reply, and the ORM's unit of work costs several times the INSERT itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel

Row = TypeVar("Row", bound=SQLModel)


@cache
def _statement(table: Table, unique: tuple[str, ...], dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = list(table.primary_key.columns)
    return insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(*keys)


def _values(row: SQLModel) -> dict[str, Any]:
    values = row.model_dump()
    if "id" in values and values["id"] is None:
        del values["id"]  # the database numbers it
    return values


def insert_key(
    connection: Connection, table: Table, values: dict[str, Any], *unique: str
) -> tuple[Any, ...] | None:
    """Insert a row of plain values unless its `unique` columns are taken: its primary key, or
    None if the key was taken already."""
    statement = _statement(table, unique, connection.dialect.name)
    key = connection.execute(statement, values).first()
    return None if key is None else tuple(key)


def insert_new(session: Session, row: Row, *unique: str) -> Row | None:
    """Insert `row` unless a row with the same `unique` columns exists.

    `row` itself, now stored and in the session with its id, if it went in; None if the key was
    taken already, by an earlier or a concurrent transaction.
    """
    table: Table = row.__table__  # type: ignore[attr-defined]
    key = insert_key(session.connection(), table, _values(row), *unique)
    if key is None:
        return None
    for column, value in zip(table.primary_key.columns, key, strict=True):
        setattr(row, column.key, value)
    make_transient_to_detached(row)  # loaded as if from the database: no second INSERT
    session.add(row)
    return row
