"""Engines and sessions: SQLite (WAL, busy timeout) by default, PostgreSQL with a pool."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.sql import Executable
from sqlmodel import Session, create_engine

from config.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for postgres URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (connecting would create it), else None."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database).resolve()
    return None if path.exists() else path


def require_database_file(url: str) -> None:
    """ConfigError if `url` is a SQLite file that is not there, before anything connects to it.

    Connecting would create an empty file, which a command that failed would leave behind."""
    missing = missing_sqlite_file(url)
    if missing is not None:
        raise ConfigError(
            f"DATABASE_URL: there is no database file {missing}: run `python -m bot migrate` "
            "to create it, or check DATABASE_URL"
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Python's sqlite3 starts a transaction only before a write and never before a SAVEPOINT,
    # so releasing a savepoint would commit on its own and split one unit of work (an update,
    # its audit entry, its attendance) into several. Take transactions over: see _begin.
    dbapi_connection.isolation_level = None


def _begin(connection: Any) -> None:
    # IMMEDIATE takes SQLite's write lock at the start. A deferred transaction that reads and
    # then writes fails at once (SQLITE_BUSY, no busy wait) if another writer committed between.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine for a database URL with the settings this bot relies on."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # A database error's message would otherwise quote the statement's parameters,
            # that is, what people wrote; errors reach the logs.
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    try:
        return create_engine(
            url,
            pool_size=5,
            max_overflow=10,
            pool_pre_ping=True,
            pool_recycle=1800,
            pool_timeout=10,
            hide_parameters=True,
        )
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"DATABASE_URL is a PostgreSQL URL but its driver ({exc.name}) is not installed: "
            'install the postgres extra, pip install -c requirements.lock -e ".[postgres]"'
        ) from None


@contextmanager
def on_disk(engine: Engine) -> Iterator[Connection]:
    """A transaction whose commit has reached the disk when it returns, on SQLite as well.

    SQLite runs with synchronous=NORMAL: a commit survives the process being killed, but not the
    machine losing power. The intake's commits are what Slack's acknowledgements promise, so
    they wait for the disk (FULL: one fsync per group commit); SQLite's log is written in order,
    so every commit before one of them reaches the disk with it. Measured in the rush (240
    requests at once, bench.rush, 6 Dec 2026): FULL for the intake's commits took the p99 ack
    from 135 to 151 ms (1.5 to 1.8 times a bare Bolt app's); FULL for every commit, to 1.9.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA synchronous=FULL")  # not allowed inside a transaction
        try:
            with connection.begin():
                yield connection
        finally:
            if raw is not None:
                raw.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success, rolls back on error and always closes."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def values_of(session: Session, statement: Executable, **params: Any) -> list[Any]:
    """The first column of a column-only query, run as plain SQL on the session's connection.

    For the lookups on every thread reply: the ORM's execution path costs several times the
    query itself, and a column needs none of it. Pending changes are flushed first, as the ORM
    would, so the query sees them.
    """
    session.flush()
    return list(session.connection().execute(statement, params).scalars())
