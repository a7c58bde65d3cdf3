"""Alembic migrations run from code: upgrade to head, and check a database is current.

Checking (done at every start) needs no Alembic: the code's heads are read from the revision
files with `ast`, and the database's from its alembic_version table. Importing Alembic costs a
few hundred milliseconds, so it is loaded only to migrate.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _revision_ids(path: Path) -> tuple[str, tuple[str, ...]] | None:
    """(revision, down revisions) of one revision file, read without running it."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = ast.literal_eval(value)
    if "revision" not in found:
        return None  # not a revision (the package's __init__.py)
    down = found.get("down_revision")
    downs = tuple(down) if isinstance(down, (tuple, list)) else (() if down is None else (down,))
    return str(found["revision"]), tuple(str(d) for d in downs)


def code_heads() -> frozenset[str]:
    """The revisions no other revision builds on: what a current database is at."""
    files = sorted((MIGRATIONS / "versions").glob("*.py"))
    graph = [ids for ids in map(_revision_ids, files) if ids is not None]
    built_on = {down for _, downs in graph for down in downs}
    return frozenset(rev for rev, _ in graph if rev not in built_on)


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
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to a revision."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)
