"""Alembic migrations run from code: upgrade to head, and check a database is current.

The code's heads come from Alembic's own ScriptDirectory, and the database's revision from its
alembic_version table. (Reading the revision files with `ast` instead saved Alembic's import,
about 0.15 s of start-up; see README, Benchmarks. The start-up target still holds with it.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@cache
def code_heads() -> frozenset[str]:
    """The revisions no other revision builds on: what a current database is at."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def head_revision(engine: Engine | None = None) -> str | None:
    """The newest revision(s) the code knows, comma-separated."""
    return ",".join(sorted(code_heads())) or None


def current_revision(engine: Engine) -> str | None:
    """The revision(s) the database is at, or None if it was never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return ",".join(sorted(str(row[0]) for row in rows)) or None


def is_current(engine: Engine) -> bool:
    """True when the database schema is at the code's head revision."""
    return current_revision(engine) == head_revision(engine)


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Migrate the database up to a revision (all heads by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to a revision."""
    command.downgrade(alembic_config(engine), revision)
