"""Threats as participants type them: codes, names and aliases, in any case."""

from __future__ import annotations

import re

from config.files import Threat

_SEPARATORS = re.compile(r"\s*(?:[,/+&;]|\band\b)\s*", re.IGNORECASE)


def _labels(threat: Threat) -> tuple[str, ...]:
    return (threat.code, threat.name, *threat.aliases)


def threat_lookup(threats: tuple[Threat, ...]) -> dict[str, str]:
    """Every code, name and alias (lower-cased) to its threat code."""
    return {label.lower(): threat.code for threat in threats for label in _labels(threat)}


def _protect_names(field: str, threats: tuple[Threat, ...]) -> str:
    """Replace names that contain separators (e.g. "Bribery, corruption and ...") by codes."""
    for threat in threats:
        for label in sorted(_labels(threat), key=len, reverse=True):
            if _SEPARATORS.search(label):
                field = re.sub(re.escape(label), threat.code, field, flags=re.IGNORECASE)
    return field


def resolve_threats(field: str, threats: tuple[Threat, ...]) -> tuple[str, ...] | str:
    """Threat codes named in a field, in configured order; or a message naming what is unknown."""
    lookup = threat_lookup(threats)
    text = " ".join(field.split())
    if text.lower() in lookup:
        return (lookup[text.lower()],)
    words = [w for w in _SEPARATORS.split(_protect_names(text, threats)) if w.strip()]
    if not words:
        return "no threat is given; name at least one after the keyword"
    unknown = [w for w in words if w.strip().lower() not in lookup]
    if unknown:
        return f"`{unknown[0][:40]}` is not a threat I know"
    named = {lookup[w.strip().lower()] for w in words}
    return tuple(t.code for t in threats if t.code in named)


def threat_list(threats: tuple[Threat, ...]) -> str:
    """The threat codes, national priority threats first and marked."""
    priority = ", ".join(t.code for t in threats if t.priority)
    other = ", ".join(t.code for t in threats if not t.priority)
    return f"{priority} (national priorities); {other}" if other else priority


def threat_names(threats: tuple[Threat, ...]) -> dict[str, Threat]:
    """Threats by code."""
    return {threat.code: threat for threat in threats}
