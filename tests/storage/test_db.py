"""Engines: SQLite in WAL mode with a busy timeout; PostgreSQL with a deliberate pool."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import select

from config.errors import ConfigError
from storage.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, normalise_url, session_scope
from storage.models import AuditEntry
from tests.conftest import TEST_DATABASE_URL

ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres://", "postgresql://", "postgresql+"))


def test_every_sqlite_connection_is_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/db.sqlite3")
    first, second = engine.raw_connection(), engine.raw_connection()  # two pooled connections
    for connection in (first, second):
        cursor = connection.cursor()
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == SQLITE_BUSY_TIMEOUT_MS
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: safe with WAL
        cursor.close()
    first.close()
    second.close()
    engine.dispose()
    assert SQLITE_BUSY_TIMEOUT_MS >= 5000


def test_wal_lets_a_write_commit_while_a_reader_is_reading(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as setup:
        setup.execute(text("CREATE TABLE t (n INTEGER)"))
        setup.execute(text("INSERT INTO t VALUES (1)"))
    reader = sqlite3.connect(path, isolation_level=None)  # e.g. a backup or report reading
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    # Without WAL this commit would wait for the reader and fail after the busy timeout.
    with engine.begin() as writer:
        writer.execute(text("INSERT INTO t VALUES (2)"))
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # its snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    reader.close()
    engine.dispose()


def test_a_savepoint_commits_only_with_its_transaction(engine: Engine) -> None:
    """An update stored under a savepoint (the race-safe insert) must not be committed on its
    own: if the rest of the unit of work fails, none of it is kept. Python's sqlite3 gets this
    wrong unless transactions are begun explicitly (storage/db.py)."""
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        with session.begin_nested():
            session.add(AuditEntry(at=now, actor="U1", action="update.create", subject="u:1"))
        raise RuntimeError("the rest of the work failed")
    with session_scope(engine) as session:
        assert session.exec(select(AuditEntry)).all() == []


@pytest.mark.parametrize("url", ["postgres://u@db/dbm", "postgresql://u@db/dbm"])
def test_postgres_urls_use_psycopg_3(url: str) -> None:
    assert normalise_url(url) == "postgresql+psycopg://u@db/dbm"


def test_postgres_engine_has_a_bounded_pool_that_checks_connections() -> None:
    engine = make_engine("postgresql://u@db.invalid/dbm")  # nothing connects until used
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.size() == 5 and pool._max_overflow == 10
    assert pool._pre_ping is True  # a connection dropped by a failover is replaced, not used
    assert pool._recycle == 1800 and pool._timeout == 10
    assert engine.dialect.driver == "psycopg"


@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL=postgresql://...")
def test_postgres_pool_recovers_from_a_killed_connection() -> None:
    engine = make_engine(TEST_DATABASE_URL)
    killer = make_engine(TEST_DATABASE_URL)
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    with killer.connect() as other:
        assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    with engine.connect() as connection:  # pre-ping finds the dead one and reconnects
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    engine.dispose()
    killer.dispose()


def test_a_postgres_url_without_its_driver_is_one_line_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were absent
    with pytest.raises(ConfigError) as raised:
        make_engine("postgresql://u@db.invalid/dbm")
    assert str(raised.value) == (
        "DATABASE_URL is a PostgreSQL URL but its driver (psycopg) is not installed: "
        'install the postgres extra, pip install -c requirements.lock -e ".[postgres]"'
    )
