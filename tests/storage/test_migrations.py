"""Migrations: empty database to head, previous schema to head, down and up, and no drift."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, select

import storage.models  # noqa: F401  (registers the tables)
from storage.db import make_engine, normalise_url
from storage.migrate import alembic_config, current_revision, downgrade, is_current, upgrade
from storage.models import Body
from tests.conftest import TEST_DATABASE_URL

ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres://", "postgresql://", "postgresql+"))
# Never the database other tests use, and one per test database, so suites run side by side
# against different databases of one server do not drop each other's.
THROWAWAY = (
    f"{make_url(TEST_DATABASE_URL).database or 'test'}_migrations" if TEST_DATABASE_URL else ""
)
FIRST = "0001"


def _postgres_admin() -> Engine:
    engine = make_engine(TEST_DATABASE_URL)
    return engine.execution_options(isolation_level="AUTOCOMMIT")  # type: ignore[return-value]


def _drop_throwaway(admin: Engine) -> None:
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {THROWAWAY} WITH (FORCE)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/migrations.sqlite3")
        yield engine
        engine.dispose()
        return
    if not ON_POSTGRES:
        pytest.skip("PostgreSQL migrations need TEST_DATABASE_URL=postgresql://...")
    admin = _postgres_admin()
    _drop_throwaway(admin)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {THROWAWAY}"))
    url = make_url(normalise_url(TEST_DATABASE_URL)).set(database=THROWAWAY)
    engine = make_engine(url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    _drop_throwaway(admin)
    admin.dispose()


def revisions_oldest_first(engine: Engine) -> list[str]:
    """Every revision id, each after the revisions it depends on."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def drift(engine: Engine) -> list[Any]:
    """What alembic autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": connection.dialect.name == "sqlite",
            },
        )
        return list(compare_metadata(context, SQLModel.metadata))


def test_empty_database_to_head(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None and not is_current(empty_engine)
    upgrade(empty_engine)
    assert is_current(empty_engine)
    assert tables(empty_engine) == set(SQLModel.metadata.tables)


def test_previous_schema_to_head_keeps_the_data(empty_engine: Engine) -> None:
    upgrade(empty_engine, FIRST)
    assert current_revision(empty_engine) == FIRST
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO body (code, name, external_team_ids, created_at) "
                "VALUES ('NCA', 'National Crime Agency', 'T1,T2', :at)"
            ),
            {"at": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    upgrade(empty_engine)
    assert is_current(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT code FROM body")).scalars().all() == ["NCA"]
    with Session(empty_engine) as session:
        (body,) = session.exec(select(Body)).all()
        assert body.external_team_ids == ["T1", "T2"]


def test_every_revision_in_turn_then_down_to_base_and_up_again(empty_engine: Engine) -> None:
    order = revisions_oldest_first(empty_engine)
    assert order[0] == FIRST
    for revision in order:
        upgrade(empty_engine, revision)
        assert revision in (current_revision(empty_engine) or "").split(",")
    assert is_current(empty_engine)
    downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None and tables(empty_engine) == set()
    upgrade(empty_engine)
    assert is_current(empty_engine) and tables(empty_engine) == set(SQLModel.metadata.tables)


def test_migrated_database_matches_the_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert drift(empty_engine) == []


def test_drift_check_notices_a_missing_index(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_intake_received_at"))
    differences = drift(empty_engine)
    assert differences and differences[0][0] == "add_index"
