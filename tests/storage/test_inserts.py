"""Insert-once writes and column lookups on the session's connection (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.db import session_scope, values_of
from storage.inserts import insert_new
from storage.models import Body

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def test_the_first_insert_is_stored_and_in_the_session_with_its_id(engine: Engine) -> None:
    with session_scope(engine) as session:
        body = insert_new(
            session, Body(code="NCA", name="National Crime Agency", created_at=NOW), "code"
        )
        assert body is not None and body.id is not None
        assert session.get(Body, body.id) is body  # no second row, no reload
        body.name = "NCA (renamed)"  # a change to it is flushed like any loaded row's
    with session_scope(engine) as session:
        (stored,) = session.exec(select(Body))
        assert (stored.id, stored.code, stored.name) == (body.id, "NCA", "NCA (renamed)")


def test_a_taken_key_inserts_nothing_and_keeps_the_transaction_usable(engine: Engine) -> None:
    with session_scope(engine) as session:
        insert_new(session, Body(code="NCA", name="first", created_at=NOW), "code")
    with session_scope(engine) as session:
        assert insert_new(session, Body(code="NCA", name="second", created_at=NOW), "code") is None
        session.add(Body(code="PSNI", name="PSNI", created_at=NOW))  # the same transaction goes on
    with session_scope(engine) as session:
        names = {b.code: b.name for b in session.exec(select(Body))}
    assert names == {"NCA": "first", "PSNI": "PSNI"}


def test_a_column_lookup_sees_changes_not_yet_flushed(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Body(code="BTP", name="British Transport Police", created_at=NOW))
        assert values_of(session, select(Body.code)) == ["BTP"]
