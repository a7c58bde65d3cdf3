"""Spotting SECRET and TOP SECRET classification markings, which must never enter the workspace.

The workspace holds OFFICIAL material at most (OFFICIAL-SENSITIVE included). A marking is
recognised when the word is used as a classification: "TOP SECRET" in any case, "SECRET" in
capitals, or "secret" in any case next to marking words ("UK secret", "classification: secret",
"secret//", "[secret]", "Secret:" at the start). Ordinary words ("secretary", "a secret
meeting", "Secret Service") are not markings.
"""

from __future__ import annotations

import re
import unicodedata

TOP_SECRET = "TOP SECRET"
SECRET = "SECRET"

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_TOP = re.compile(r"\btop[\s_\-./]*secret\b", re.IGNORECASE)
# Capitals are how markings are written; "SECRET SERVICE" in capitals is a name, not a marking.
_CAPS = re.compile(r"(?<![A-Za-z])SECRET(?![A-Za-z])(?!\s+SERVICE\b)")
_CONTEXT = re.compile(
    r"(?:"
    r"\b(?:classification|classified|class|marking|marked|protective\s+marking|graded|grading)"
    r"\s*(?:as|is|:|=|-)?\s*(?:uk\s+)?secret\b"
    r"|\buk\s+secret\b"
    r"|\bsecret\s*//"
    r"|//\s*secret\b"
    r"|[\[(]\s*secret\s*[\])]"
    r"|^[^\w\n]{0,10}secret[^\S\n]*(?::|-|–|—|\n|$)"
    r"|\bsecret\s+uk\s+eyes\b"
    r"|\bsecret\s+(?:-\s*)?(?:uk\s+)?eyes\s+only\b"
    r")",
    re.IGNORECASE | re.MULTILINE,
)


_SENSITIVE = re.compile(r"\bofficial[\s\-_]*sensitive\b", re.IGNORECASE)


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return _INVISIBLE.sub("", folded)


def classification_marking(text: str) -> str | None:
    """The SECRET or TOP SECRET marking a text carries or mentions, or None."""
    cleaned = _normalise(text)
    if "secret" not in cleaned.lower():  # every marking has the word; 40 000 characters in 1 ms
        return None
    if _TOP.search(cleaned):
        return TOP_SECRET
    if _CAPS.search(cleaned) or _CONTEXT.search(cleaned):
        return SECRET
    return None


def refusal_message(marking: str) -> str:
    """What the sender is told; it never repeats the refused text."""
    return (
        f"Not recorded: your message looks like {marking} material "
        f"(it is marked or described as {marking}). This workspace is for OFFICIAL and "
        "OFFICIAL-SENSITIVE material only; SECRET and TOP SECRET material must never be posted "
        "here. Please delete the message now and pass the information through an accredited "
        "system. If it is not classified, rephrase it without the marking, e.g. "
        "`EVENT | firearms | yesterday 22:40 | Shots fired in Salford, no injuries`."
    )


def handling_marking(text: str) -> str:
    """OFFICIAL-SENSITIVE where the text says so, else OFFICIAL."""
    return "OFFICIAL-SENSITIVE" if _SENSITIVE.search(text) else "OFFICIAL"
