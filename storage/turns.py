"""SQLite writers take turns on a lock of this process instead of SQLite's sleeping retries.

SQLite lets one transaction write at a time and makes the others retry with sleeps that grow to
100 ms (its busy handler). In the morning rush every Slack request commits one row before it is
answered, 16 at a time, and measured (`python -m bench.rush`, 240 requests at once, 2 cores)
those sleeps made the slowest acknowledgements several times a bare Bolt app's. Here the writers
queue on a lock and the next one goes the moment the last one commits. One bot process uses a
SQLite database (README), so a lock in the process covers every writer.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any


def turn_taking(turns: threading.RLock) -> type[sqlite3.Connection]:
    """A sqlite3 connection class whose transactions hold `turns` from BEGIN to COMMIT."""

    class TurnTaking(sqlite3.Connection):
        """A connection that gives its turn back when its transaction ends, however it ends."""

        held = 0

        def take_turn(self) -> None:
            """Wait for this database's turn (called before BEGIN)."""
            turns.acquire()
            self.held += 1

        def give_turn(self) -> None:
            """Give the turn back (after COMMIT or ROLLBACK)."""
            while self.held:
                self.held -= 1
                turns.release()

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self.give_turn()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self.give_turn()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self.give_turn()

    return TurnTaking


def begin_in_turn(connection: Any) -> None:
    """SQLAlchemy's "begin" event: take the turn, then BEGIN IMMEDIATE (SQLite's write lock)."""
    raw = connection.connection.dbapi_connection
    raw.take_turn()
    try:
        # IMMEDIATE takes SQLite's write lock at the start. A deferred transaction that reads
        # and then writes fails at once (SQLITE_BUSY, no busy wait) if another writer committed
        # between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        raw.give_turn()
        raise
