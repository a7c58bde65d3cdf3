"""The write probe: can the database commit a transaction now, and if not, why, in a few words.

A database that answers SELECT 1 may still refuse every write: a SQLite file or folder made
read-only, a full disk, a PostgreSQL server that failed over to a read-only standby. The probe
upserts this instance's row in a transaction begun as the bot's own are (on SQLite it takes the
write lock), so it fails exactly when a request could not be stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Insert, Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.models import HealthProbe

# Rows of instances not seen for this long are removed by the next probe (containers come and
# go under new host names).
FORGET_AFTER = timedelta(days=30)

# Error codes in words: SQLite's result code names (sqlite3's `sqlite_errorname`, compared by
# prefix so extended codes such as SQLITE_READONLY_DBMOVED match) and PostgreSQL's SQLSTATEs
# (exact codes first, then their classes).
SQLITE_PROBLEMS = (
    ("SQLITE_READONLY", "read-only"),
    ("SQLITE_FULL", "disk full"),
    ("SQLITE_IOERR", "disk error"),
    ("SQLITE_PERM", "no permission"),
    ("SQLITE_CANTOPEN", "cannot open the file"),
    ("SQLITE_BUSY", "locked by another writer"),
    ("SQLITE_CORRUPT", "corrupt"),
)
POSTGRES_PROBLEMS = (
    ("25006", "read-only"),  # read_only_sql_transaction: a standby, or read-only by setting
    ("53100", "disk full"),
    ("42501", "no permission"),
    ("53", "out of resources"),
    ("57P", "shutting down"),
    ("08", "unreachable"),
)

_TABLE: Table = HealthProbe.__table__  # type: ignore[attr-defined]


@cache
def _upsert(dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_TABLE)
    return statement.on_conflict_do_update(
        index_elements=["instance"], set_={"checked_at": statement.excluded.checked_at}
    )


def write_probe(engine: Engine, instance: str, now: datetime) -> str | None:
    """Upsert `instance`'s row (and forget instances long gone) in one transaction: None if it
    committed, else what stopped it (`problem`)."""
    try:
        with engine.begin() as connection:
            row = {"instance": instance, "checked_at": now}
            connection.execute(_upsert(connection.dialect.name), row)
            connection.execute(delete(_TABLE).where(_TABLE.c.checked_at < now - FORGET_AFTER))
    except SQLAlchemyError as exc:
        return problem(exc)
    return None


def problem(exc: SQLAlchemyError) -> str:
    """A database error in a few words ("read-only", "disk full", ...), never its message,
    which can carry the parameters of the statement."""
    driver = getattr(exc, "orig", None)
    name = str(getattr(driver, "sqlite_errorname", "") or "")
    state = str(getattr(driver, "sqlstate", "") or "")
    for code, words in SQLITE_PROBLEMS:
        if name.startswith(code):
            return words
    for code, words in POSTGRES_PROBLEMS:
        if state.startswith(code):
            return words
    return (driver or exc).__class__.__name__
