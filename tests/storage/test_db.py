"""Engines: SQLite in WAL mode with a busy timeout; PostgreSQL with a deliberate pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from storage.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, normalise_url
from tests.conftest import TEST_DATABASE_URL

ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres://", "postgresql://", "postgresql+"))


def test_every_sqlite_connection_is_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/db.sqlite3")
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL: safe with WAL
    engine.dispose()
    assert SQLITE_BUSY_TIMEOUT_MS >= 5000


def test_wal_lets_a_write_commit_while_a_reader_is_reading(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/db.sqlite3")
    with engine.begin() as setup:
        setup.execute(text("CREATE TABLE t (n INTEGER)"))
        setup.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as reader:
        reader.exec_driver_sql("BEGIN")
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
        # Without WAL this commit would wait for the reader and fail after the busy timeout.
        with engine.begin() as writer:
            writer.execute(text("INSERT INTO t VALUES (2)"))
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1  # its snapshot
        reader.exec_driver_sql("COMMIT")
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 2
    engine.dispose()


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
