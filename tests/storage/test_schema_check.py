"""The start-up schema check: a database is current only at the code's heads (Alembic's own)."""

from __future__ import annotations

from pathlib import Path

from storage.db import make_engine
from storage.migrate import current_revision, downgrade, head_revision, is_current, upgrade


def test_a_database_is_current_only_at_the_heads(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'check.sqlite3'}")
    assert current_revision(engine) is None and not is_current(engine)
    upgrade(engine)
    assert is_current(engine) and current_revision(engine) == head_revision() is not None
    downgrade(engine, "base")
    assert current_revision(engine) is None and not is_current(engine)
    engine.dispose()
