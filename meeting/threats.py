"""Threats as participants type them: codes, names and aliases, in any case."""

from __future__ import annotations

import re
from functools import lru_cache

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


# Names of bodies that contain a threat's word but are not a threat ("Border Force supporting").
_BODY_NAMES = re.compile(
    r"\b(?:border\s+force|border\s+policing(?:\s+command)?|immigration\s+enforcement"
    r"|national\s+crime\s+agency)\b",
    re.IGNORECASE,
)
# "not firearms related", "no drugs found", "non-cyber": a threat named only to rule it out.
_RULED_OUT = re.compile(r"\b(?:not|no|non)[\s-]*$", re.IGNORECASE)


_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_LONGEST = 4  # words in the longest label worth finding in a sentence
_Labels = tuple[dict[str, tuple[str, bool]], frozenset[str]]


@lru_cache(maxsize=8)
def _label_words(threats: tuple[Threat, ...]) -> dict[str, tuple[str, bool]]:
    """Each label in lower case: its threat, and whether it is an abbreviation (up to four
    capitals: MS, FA, OIC), which counts in a sentence only in capitals ("Ms Smith" does not)."""
    return {
        " ".join(label.lower().split()): (t.code, label.isupper() and len(label) <= 4)
        for t in threats
        for label in _labels(t)
    }


@lru_cache(maxsize=8)
def _first_words(threats: tuple[Threat, ...]) -> frozenset[str]:
    """The first words of labels of several words ("modern" of "modern slavery")."""
    return frozenset(label.split()[0] for label in _label_words(threats) if " " in label)


def _named_at(
    text: str, words: list[re.Match[str]], index: int, known: _Labels
) -> tuple[int, str] | None:
    """The longest label starting at a word, as (words used, code), or None."""
    labels, firsts = known
    longest = _LONGEST if words[index][0].lower() in firsts else 1
    for size in range(min(longest, len(words) - index), 0, -1):
        group = words[index : index + size]
        gaps = (text[a.end() : b.start()] for a, b in zip(group, group[1:], strict=False))
        if size > 1 and not all(gap.isspace() for gap in gaps):
            continue
        phrase = " ".join(word[0] for word in group)
        found = labels.get(phrase.lower())
        if found is not None and (not found[1] or phrase.isupper()):
            return size, found[0]
    return None


def threat_mentions(text: str, threats: tuple[Threat, ...]) -> list[tuple[int, int, str]]:
    """Where threats are named in running text: (start, end, code), in order. A word-by-word
    look-up: one regular expression of every label took 9 ms on 6 000 characters."""
    labels = (_label_words(threats), _first_words(threats))
    masked = _BODY_NAMES.sub(lambda m: " " * len(m[0]), text)
    words = list(_WORD.finditer(masked))
    found, index = [], 0
    while index < len(words):
        named = _named_at(masked, words, index, labels)
        size = named[0] if named else 1
        start, end = words[index].start(), words[index + size - 1].end()
        if named and not _RULED_OUT.search(masked, max(0, start - 5), start):
            found.append((start, end, named[1]))
        index += size
    return found


def threats_in_text(text: str, threats: tuple[Threat, ...]) -> tuple[str, ...]:
    """The threats named anywhere in running text, in configured order."""
    named = {code for _, _, code in threat_mentions(text, threats)}
    return tuple(t.code for t in threats if t.code in named)


@lru_cache(maxsize=8)
def threat_words(threats: tuple[Threat, ...]) -> tuple[str, ...]:
    """The single words of six letters or more that name threats (for mending typos)."""
    labels = {label.lower() for t in threats for label in _labels(t)}
    return tuple(sorted(w for w in labels if " " not in w and len(w) >= 6))
