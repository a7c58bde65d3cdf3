"""Every library the code imports is declared in pyproject.toml, and the lock file pins them all.

Imports are read from the source with `ast` (including `pytest.importorskip("name")`) and mapped
to the distributions that provide them with importlib.metadata.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = (
    "bot", "handlers", "service", "slack_adapter", "storage", "config", "meeting", "blocks",
    "standin", "demo",
)  # fmt: skip
TOOLING = ("bench", "tests")


def canonical(requirement: str) -> str:
    """A distribution's name as pip compares them (lower case, runs of -_. as one -)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def declared(*extras: str) -> set[str]:
    requirements = list(PROJECT["dependencies"])
    for extra in extras:
        requirements += PROJECT["optional-dependencies"][extra]
    return {canonical(r) for r in requirements}


def imported_modules(folders: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    """(top-level module, file) for every absolute import and importorskip in the folders."""
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", None) == "importorskip"
                    and isinstance(node.args[0], ast.Constant)
                ):
                    names = [str(node.args[0].value)]
                else:
                    continue
                for name in names:
                    yield name.split(".")[0], path


def third_party(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """{distribution: {files importing it}} for imports that are neither ours nor stdlib."""
    providers = packages_distributions()
    ours = set(RUNTIME + TOOLING)
    found: dict[str, set[str]] = {}
    for module, path in imported_modules(folders):
        if module in ours or module in sys.stdlib_module_names:
            continue
        for distribution in providers.get(module, [f"<nothing installed provides {module}>"]):
            found.setdefault(canonical(distribution), set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_bot_imports_only_declared_dependencies() -> None:
    undeclared = {d: f for d, f in third_party(RUNTIME).items() if d not in declared()}
    assert undeclared == {}


def test_tests_and_bench_import_only_declared_or_test_dependencies() -> None:
    allowed = declared("postgres", "test")
    undeclared = {d: f for d, f in third_party(TOOLING).items() if d not in allowed}
    assert undeclared == {}


def test_the_postgres_driver_is_an_extra_not_forced_on_sqlite_users() -> None:
    assert "psycopg" not in declared()
    assert "psycopg" in declared("postgres") and "psycopg" in declared("test")


def test_the_lock_file_pins_every_declared_dependency_to_one_version() -> None:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith((" ", "#", "-")):
            name, _, version = line.partition("==")
            assert version and "[" not in name, f"not a plain pin (pip constraints): {line}"
            pins[canonical(name)] = version.split()[0]
    assert declared("postgres", "test") <= set(pins)
