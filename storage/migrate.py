"""Alembic migrations run from code: upgrade to head, and check a database is current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    """The newest revision(s) the code knows, comma-separated."""
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    return ",".join(sorted(heads)) or None


def current_revision(engine: Engine) -> str | None:
    """The revision(s) the database is at, or None if it was never migrated."""
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def is_current(engine: Engine) -> bool:
    """True when the database schema is at the code's head revision."""
    return current_revision(engine) == head_revision(engine)


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Migrate the database up to a revision (all heads by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to a revision."""
    command.downgrade(alembic_config(engine), revision)
