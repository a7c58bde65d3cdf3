"""Replies that are not updates: nil returns written in words, and plain conversation.

A nil return is a short reply built round "nil", "NTR", "nothing to report" or "no updates",
naming no threat and nothing done or planned; it may name the body ("Nil from BTP").
Conversation is left alone only when it is plainly that: addressed to someone (an @mention
first), a thanks, a "+1", emoji only, or a few words of greeting or acknowledgement ("Morning
all, dialling in", "Noted"). A reply naming a threat or a time, asking for something or asking a
question (unless addressed to someone) is not conversation: it is read, or answered.
"""

from __future__ import annotations

import re

from meeting.reading_types import Conversation, NilReturn
from meeting.wording import kind_signals

_WORD = re.compile(r"[^\W\d_][\w'’/\-]*|\+1|\d+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']{1,40}:")
_PLUS_ONE = re.compile(r"^\s*(?:\+1|:\+1:|:thumbsup:|👍)")
_NONE_FOR_KIND = re.compile(
    r"\b(?:(?:significant\s+)?events?|(?:operational\s+)?plans?|urgent(?:\s+demands?)?|demands?"
    r"|requests?)\s*[:\-–]?\s*(?:none|nil|nothing|n/a)\b",
    re.IGNORECASE,
)
_NIL = re.compile(
    r"(?<![\w/])(?:nil(?:\s+returns?)?|ntr|n/r|none|nothing(?:\s+(?:new|further|significant|else"
    r"|of\s+note|to\s+(?:report|add|declare|share)))*|no\s+(?:significant\s+|new\s+|further\s+)?"
    r"(?:updates?|returns?|issues|events?|plans?|demands?|requests?|incidents?))(?![\w/])",
    re.IGNORECASE,
)
_BUT = re.compile(r"\b(?:but|except|apart\s+from|other\s+than|however|although|though)\b", re.I)
_NIL_FILLER = frozenset(
    "from for us we our today this morning all the dbm ndbm meeting call briefing side here have "
    "has got is it its it's again thanks thank you cheers ta please and team to report a an of "
    "note significant national nationally hi hello good afternoon at on present i me my so far "
    "just as in with update updates also anything by return returns attending attendance dialling "
    "dialled joining will be chair sir ma'am regards since yesterday lately overnight currently "
    "region force unit police our".split()
)
_THANKS = frozenset("thanks thank cheers ta thx ty tks merci".split())
_SOCIAL = frozenset(
    "morning good afternoon hi hello hey hiya all everyone folks team dialling dialing dialled "
    "dialed in joining joined now on the call line ok okay k noted received roger understood ack "
    "acknowledged will do got it seen copy that thanks thank you cheers ta many much great perfect "
    "brilliant lovely appreciated agreed agree likewise same here me too yes yep yeah sure np "
    "welcome running late minutes mins min few be there shortly with just a an for from we us i "
    "i'm im back sorry bye speak soon later sir ma'am chair mate stuff nice one excellent helpful "
    "very really indeed course of and +1 done sounds fine cool dropped "
    "connection audio mic muted unmuted sound cut off wrong thread ignore please".split()
)


def _is_code(word: str, codes: frozenset[str] | None) -> bool:
    """A body's code in any case ("Nil from Tarian"), or any word in capitals without codes."""
    if codes is not None:
        return word.upper() in codes
    return word.isupper() and word.isalpha() and len(word) >= 2


def nil_return(text: str, codes: frozenset[str] | None, *, names_threat: bool) -> NilReturn | None:
    """A nil return written in words, with the body code it names, or None."""
    if names_threat or "?" in text or len(text) > 300 or _BUT.search(text):
        return None
    rest = _NIL.sub(" ", _NONE_FOR_KIND.sub(" ", text))
    if rest == text:
        return None
    signals = kind_signals(rest)
    if signals.demand or signals.plan_noun or signals.event_noun:
        return None
    body, left = None, 0
    for word in _WORD.findall(rest):
        if body is None and _is_code(word, codes):
            body = word.upper()
        elif word.lower() not in _NIL_FILLER:
            left += 1
    return NilReturn(body) if left <= 3 else None


def conversation(text: str, *, addressed: bool, has_content: bool) -> Conversation | None:
    """Plain conversation that may be left alone, or None."""
    if not text.strip():
        return Conversation("empty")
    if addressed:
        return Conversation("addressed")
    if has_content or "?" in text or len(text) > 200:
        return None
    words = [w.lower() for w in _WORD.findall(_EMOJI_CODE.sub(" ", text))]
    if _PLUS_ONE.match(text) and len(words) <= 8:
        return Conversation("plus_one")
    if not words:
        return Conversation("emoji")
    if words[0] in _THANKS and len(words) <= 12:
        return Conversation("thanks")
    others_text = " ".join(word for word in words if word not in _SOCIAL)
    signals = kind_signals(others_text)
    if signals.event or signals.event_noun or signals.plan_noun or len(words) > 10:
        return None
    others = len(others_text.split())
    return Conversation("social") if others <= 1 or (others == 2 and len(words) >= 4) else None
