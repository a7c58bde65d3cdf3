"""The start-up schema check reads revisions without Alembic, and agrees with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.migrate import (
    alembic_config,
    code_heads,
    current_revision,
    downgrade,
    is_current,
    upgrade,
)


def test_heads_read_from_the_files_are_alembics_heads(engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert code_heads() == frozenset(script.get_heads())


def test_a_database_is_current_only_at_the_heads(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'check.sqlite3'}")
    assert current_revision(engine) is None and not is_current(engine)
    upgrade(engine)
    assert is_current(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None and not is_current(engine)
    engine.dispose()
