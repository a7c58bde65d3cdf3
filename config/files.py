"""Readers of the operator-editable TOML data files (bodies, threats, meeting settings)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import ConfigError

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")
TEAM_ID_PATTERN = re.compile(r"^[TE][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class BodySeed:
    """An invited body as the roster file lists it."""

    code: str
    name: str
    external_team_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Threat:
    """A threat updates are filed under; priority marks the national priority threats."""

    code: str
    name: str
    priority: bool
    aliases: tuple[str, ...] = ()


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning any problem into a ConfigError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _entries(path: Path, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: expected one or more [[{key}]] tables")
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: [[{key}]] number {index} is not a table")
    return entries


def _text(path: Path, where: str, entry: dict[str, Any], field: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {where}: '{field}' must be a non-empty string")
    return value.strip()


def _code(path: Path, where: str, entry: dict[str, Any]) -> str:
    code = _text(path, where, entry, "code")
    if not CODE_PATTERN.match(code):
        raise ConfigError(
            f"{path}: {where}: code {code!r} must be 2-16 capital letters or digits, "
            "starting with a letter"
        )
    return code


def _strings(path: Path, where: str, entry: dict[str, Any], field: str) -> tuple[str, ...]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: {where}: '{field}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _unique(path: Path, key: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ConfigError(f"{path}: {key} code {code!r} appears more than once")
        seen.add(code)


def load_bodies(path: Path) -> tuple[BodySeed, ...]:
    """Read the invited bodies from the roster file."""
    bodies: list[BodySeed] = []
    for index, entry in enumerate(_entries(path, read_toml(path), "body"), start=1):
        where = f"body number {index}"
        code = _code(path, where, entry)
        teams = _strings(path, f"body {code}", entry, "external_team_ids")
        for team in teams:
            if not TEAM_ID_PATTERN.match(team):
                raise ConfigError(f"{path}: body {code}: {team!r} is not a Slack team id (T...)")
        bodies.append(BodySeed(code, _text(path, f"body {code}", entry, "name"), teams))
    _unique(path, "body", [b.code for b in bodies])
    return tuple(bodies)


def load_threats(path: Path) -> tuple[Threat, ...]:
    """Read the threats, national priority threats first."""
    threats: list[Threat] = []
    for index, entry in enumerate(_entries(path, read_toml(path), "threat"), start=1):
        where = f"threat number {index}"
        code = _code(path, where, entry)
        priority = entry.get("priority", False)
        if not isinstance(priority, bool):
            raise ConfigError(f"{path}: threat {code}: 'priority' must be true or false")
        name = _text(path, f"threat {code}", entry, "name")
        threats.append(
            Threat(code, name, priority, _strings(path, f"threat {code}", entry, "aliases"))
        )
    _unique(path, "threat", [t.code for t in threats])
    return tuple(sorted(threats, key=lambda t: not t.priority))
