"""The words of a reply: normalised, its kind and body code written first, what its wording
says about the kind (asking, tense, nouns), and typos mended near the start.

Plain Python and a few word lists: no language model or outside service may be used here, and
the lists are short enough to read. Nil returns and conversation are in meeting.quiet.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from meeting.parsing import UpdateKind

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_DECORATION = re.compile(r"[*~`]|(?<![\w])_|_(?![\w])")
_BULLET = re.compile(r"^[ \t]*(?:[•▪◦·]|[-*](?=\s)|\d{1,2}[.)](?=\s))[ \t]*", re.MULTILINE)
_MENTIONS = re.compile(r"^\s*(?:(?:<@[UW][A-Z0-9]+(?:\|[^>]{0,80})?>|@[\w.\-]{2,40})[\s,:;-]*)+")
_KIND = re.compile(
    r"(?P<kind>significant\s+events?|sig\.?\s+events?|events?|incidents?"
    r"|operational\s+plans?|op\.?\s+plans?|plans?|planned"
    r"|urgent\s+(?:requests?|demands?)|urgent|demands?|requests?)(?![\w-])",
    re.IGNORECASE,
)
_KIND_LABEL = re.compile(r"(?:type|kind|category)\s*:\s*", re.IGNORECASE)
_CODE = re.compile(r"\(?(?P<code>[A-Za-z][A-Za-z0-9]{1,15})\)?(?![\w-])")
_GAP = re.compile(r"[ \t]*(?:[:|\-–—][ \t]*|\n\s*)?")
_SPACES = re.compile(r"[ \t]*")
_AFTER_HEAD = re.compile(r"[ \t]*(?:[:|;,.–—]|-(?!\d)|\n)?\s*")
_PREAMBLE = re.compile(
    r"^\s*(?:(?:good\s+)?(?:morning|afternoon)|hi|hello|hiya|thanks|thank\s+you|update"
    r"|official(?:[\s_-]*sensitive)?)"
    r"(?:\s+(?:all|everyone|team|chair))?\s*(?:[,.!:;\-–]+\s*|\n\s*)",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Slack entities, compatibility forms, invisible characters, bold and bullets undone."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ")
    return _BULLET.sub("", _DECORATION.sub("", text)).strip()


def strip_mentions(text: str) -> tuple[str, bool]:
    """The text without the @mentions it starts with, and whether there were any."""
    match = _MENTIONS.match(text)
    return (text[match.end() :], True) if match else (text, False)


def kind_of(phrase: str) -> UpdateKind:
    """The kind a kind phrase names ("sig event", "op plan", "urgent request")."""
    lower = phrase.lower()
    if "event" in lower or "incident" in lower:
        return UpdateKind.EVENT
    return UpdateKind.PLAN if "plan" in lower else UpdateKind.DEMAND


@dataclass(frozen=True)
class Head:
    """What a reply starts with: the kind when written, a body code, and the rest."""

    kind: UpdateKind | None
    body_code: str | None
    rest: str


def _kind_at(text: str, start: int) -> re.Match[str] | None:
    label = _KIND_LABEL.match(text, start)
    return _KIND.match(text, label.end() if label else start)


def _leading_code(text: str, codes: frozenset[str] | None) -> tuple[str | None, int]:
    """A body code first: before the kind ("BTP EVENT"), or known and alone ("BTP: ...")."""
    code = _CODE.match(text)
    if code is None:
        return None, 0
    word, gap = code["code"], _GAP.match(text, code.end())
    end = gap.end() if gap else code.end()
    if _kind_at(text, end) is not None:
        known = word.upper() in codes if codes is not None else word.isupper()
    else:
        known = bool(gap and gap[0].strip()) and codes is not None and word.upper() in codes
        known = known and word.isupper()
    return (word.upper(), end) if known else (None, 0)


def _trailing_code(text: str, start: int, codes: frozenset[str] | None) -> re.Match[str] | None:
    """A body code in capitals right after the kind ("EVENT BTP |", "Event (BTP):")."""
    code = _CODE.match(text, _SPACES.match(text, start).end())  # type: ignore[union-attr]
    if code is None or not code["code"].isupper() or _KIND.fullmatch(code["code"]):
        return None
    return code if codes is None or code["code"] in codes else None


def read_head(text: str, codes: frozenset[str] | None) -> Head:
    """The kind and body code a reply starts with, in any case, before any separator."""
    preamble = _PREAMBLE.match(text)
    text = text[preamble.end() :] if preamble else text
    body, start = _leading_code(text, codes)
    kind = _kind_at(text, start)
    if kind is None:
        return Head(None, body, text[start:])
    end = kind.end()
    code = None if body else _trailing_code(text, end, codes)
    if code is not None:
        body, end = code["code"], code.end()
    after = _AFTER_HEAD.match(text, end)
    return Head(kind_of(kind["kind"]), body, text[after.end() if after else end :])


_DEMAND = re.compile(
    r"\b(?:need(?:s|ed)?|request(?:s|ing|ed)?|urgent(?:ly)?|requir(?:e|es|ed|ing)|requirement"
    r"|asap|can\s+any(?:one|body)|could\s+any(?:one|body)|any\s+(?:force|region)s?\s+(?:holding"
    r"|with|who))\b",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"\b(?:will(?!\s+(?:need|require|be\s+needed|be\s+required))|planned|planning"
    r"|plans?\s+to|scheduled|intend(?:s|ed)?\s+to|going\s+to"
    r"|to\s+be\s+(?:executed|carried\s+out|deployed|arrested|searched)|due\s+to|is\s+due"
    r"|are\s+due|upcoming|expected\s+to|proposed|authorised|authorized)\b",
    re.IGNORECASE,
)
_FUTURE_WORDS = re.compile(
    r"\b(?:tomorrow|tonight|next\s+week|later\s+today|this\s+(?:afternoon|evening)"
    r"|(?:next|this\s+coming)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)
_PAST_WORDS = re.compile(
    r"\b(?:yesterday|last\s+night|overnight|earlier\s+today|this\s+morning|at\s+the\s+weekend"
    r"|over\s+the\s+weekend)\b",
    re.IGNORECASE,
)
_PLAN_NOUN = re.compile(
    r"\b(?:warrants?|deployments?|arrest\s+day|strike\s+day|search(?:es)?\s+at)\b", re.IGNORECASE
)
_EVENT = re.compile(
    r"\b(?:was|were|has\s+been|have\s+been|had|took\s+place|occurred|happened|found|shot"
    r"|caught|seen|taken|made|held|fled|struck|stole|stolen|sold|drove|driven|fought|threw"
    r"|thrown|brought|sent|went|came|took|kept|met|ran|broke|broken|lost|[a-z]{2,}ed)\b",
    re.IGNORECASE,
)
_NOT_PAST = frozenset(
    "planned needed required requested scheduled intended expected organised organized based "
    "linked related concerned interested proposed authorised authorized involved suspected "
    "unconfirmed unidentified united limited red shed bed hundred led".split()
)
_EVENT_NOUN = re.compile(
    r"\b(?:shooting|stabbing|robbery|burglary|seizure|arrests|attack|murder|discharge"
    r"|collision|explosion|assault|kidnap(?:ping)?|disorder|death|fatal|injur(?:y|ies)|victims?"
    r"|incident|fight|fire)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Signals:
    """What the wording says about the kind: strong words (tense, asking) and weaker nouns."""

    demand: bool
    plan: bool
    event: bool
    plan_noun: bool
    event_noun: bool
    future_words: bool = False
    past_words: bool = False
    plan_first: bool = False  # where both tenses are used, the plan is said first


def _past_tense(text: str) -> int | None:
    """Where the first verb in the past tense is, or None."""
    for match in _EVENT.finditer(text):
        word = match[0].lower()
        if word not in _NOT_PAST and not word.endswith("eed"):
            return match.start()
    return None


def kind_signals(text: str) -> Signals:
    """The kind the wording points to (threat names and times already taken out)."""
    plan, past = _PLAN.search(text), _past_tense(text)
    return Signals(
        demand=_DEMAND.search(text) is not None,
        plan=plan is not None,
        event=past is not None,
        plan_noun=_PLAN_NOUN.search(text) is not None,
        event_noun=_EVENT_NOUN.search(text) is not None,
        future_words=_FUTURE_WORDS.search(text) is not None,
        past_words=_PAST_WORDS.search(text) is not None,
        plan_first=plan is not None and past is not None and plan.start() < past,
    )


TYPO_REACH = 300  # typos are mended in the first characters, where the kind, threats and time are
_TOKEN = re.compile(r"[A-Za-z][A-Za-z\-]{3,}")
_DAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday yesterday tomorrow tonight "
    "january february march april june july august september october november december".split()
)
_KIND_TYPOS = ("event", "events", "urgent", "demand", "request", "incident", "planned")


def _mend(word: str, vocabulary: tuple[str, ...], cutoff: float) -> str:
    lower = word.lower()
    if lower in vocabulary or lower.endswith("ed"):  # "trafficked" is a word, not a typo
        return word
    close = difflib.get_close_matches(lower, vocabulary, n=1, cutoff=cutoff)
    return close[0] if close else word


def mend_typos(text: str, threat_words: tuple[str, ...]) -> str:
    """Near misses of a kind word first ("Evnet"), and of day and threat words near the start
    ("Wendesday", "firarms"), spelt right; other words are left as written."""
    head, tail = text[:TYPO_REACH], text[TYPO_REACH:]
    first = _TOKEN.match(head)
    if first and len(first[0]) >= 5:
        head = _mend(first[0], _KIND_TYPOS, 0.8) + head[first.end() :]
    words = (*_DAY_WORDS, *threat_words)
    mended = _TOKEN.sub(lambda m: _mend(m[0], words, 0.85) if len(m[0]) >= 6 else m[0], head)
    return mended + tail
