"""Group commit: each request committed before it returns, once per key, however they race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from slack_adapter.group_commit import GroupCommit
from slack_adapter.intake import Received, receive
from storage.db import session_scope
from storage.models import Intake

NOW = datetime(2026, 11, 23, 8, 40, tzinfo=UTC)


def _received(key: str) -> Received:
    return Received(key, "message", {"event": {"text": key}}, NOW)


def test_racing_requests_are_each_stored_once_and_told_which_was_first(engine: Engine) -> None:
    group = GroupCommit(engine)
    keys = [f"reply:C:{n % 40}" for n in range(120)]  # every key three times
    results: list[tuple[str, bool]] = []
    lock, start = threading.Lock(), threading.Barrier(24)

    def send(chunk: list[str]) -> None:
        start.wait()
        for key in chunk:
            new = group.receive(_received(key))
            with lock:
                results.append((key, new))

    threads = [threading.Thread(target=send, args=(keys[i::24],)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    firsts = sorted(key for key, new in results if new)
    assert firsts == sorted(set(keys))  # one "new" per key, whichever delivery came first
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Intake)).one() == 40


def test_a_request_stored_before_is_not_new(engine: Engine) -> None:
    group = GroupCommit(engine)
    assert group.receive(_received("command:T1")) is True
    assert group.receive(_received("command:T1")) is False


def test_a_failed_commit_is_raised_to_the_requests_it_held(engine: Engine) -> None:
    group = GroupCommit(engine)
    engine.dispose()
    broken = GroupCommit(engine)
    broken.engine = type(engine).__new__(type(engine))  # an engine that cannot connect
    with pytest.raises(Exception):  # noqa: B017 (whatever the driver raises reaches the ack)
        broken.receive(_received("reply:C:1"))
    assert group.receive(_received("reply:C:2")) is True  # the real one still works


def test_on_sqlite_the_intake_commit_waits_for_the_disk_and_the_others_do_not(
    engine: Engine,
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's synchronous setting (PostgreSQL's commits wait for the disk)")
    seen: list[int] = []

    def level(connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO INTAKE"):
            seen.append(cursor.connection.execute("PRAGMA synchronous").fetchone()[0])

    event.listen(engine, "before_cursor_execute", level)
    try:
        GroupCommit(engine).receive(_received("reply:C:2"))
        receive(engine, _received("reply:C:3"))  # a row recovery stores: nobody was answered
    finally:
        event.remove(engine, "before_cursor_execute", level)
    assert seen == [2, 1]  # FULL for the acknowledged request, NORMAL after it
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
