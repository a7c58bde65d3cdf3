"""Times as police write them inside a sentence: "0710 today", "22:40 last night", "7.10am",
"Thu 0600", "3 Nov 1400", "03/11 14:00", "tomorrow am".

`timeparse.parse_when` reads a field that holds only a time; this module finds times in running
text and hands each one to it, so the UK rules (day first, GMT/BST, clock changes refused) stay
in one place. A four-digit number is a time only where people would read it as one: not a
quantity ("1500 cannabis plants"), a reference ("OP-1234") or a year ("since 2019").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from meeting.timeparse import Direction, WhenClock, WhenProblem

_W = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)(?![a-z])\.?"
)
_M = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?"
)
_NUMDATE = r"\d{1,2}[/.]\d{1,2}(?:[/.](?:\d{4}|\d{2}))?(?![\d/])"
_WORDDATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_M}(?:\s+20\d\d(?=\s+\d))?"
_DAY = (
    rf"(?:(?:yesterday|tomorrow)\s+(?:morning|afternoon|evening|night)"
    rf"|this\s+(?:morning|afternoon|evening)|last\s+night|today|tonight|yesterday|tomorrow"
    rf"|(?:(?:last|next|this)\s+)?{_W}(?:\s+(?:{_WORDDATE}|{_NUMDATE}))?"
    rf"|{_WORDDATE}|{_NUMDATE})"
)
_CORE = (
    r"(?:(?P<h>[01]?\d|2[0-3])(?P<sep>[:.])(?P<m>[0-5]\d)(?:\s*(?P<ap>am|pm)(?![a-z]))?"
    r"|(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>am|pm)(?![a-z])"
    r"|(?P<h4>[01]\d|2[0-3])(?P<m4>[0-5]\d)"
    r"|(?P<word>noon|midday|midnight))"
)
_MENTION = re.compile(
    rf"(?<![\w£$€#/.:\-])(?:(?P<pre>{_DAY})\s*(?:[,:–]|-(?!\d)|at|@|from|on)?\s*)?"
    rf"{_CORE}(?P<suffix>\s*(?:hrs|hours|hr|h)(?![a-z]))?(?:\s*(?P<zone>bst|gmt)(?![a-z]))?"
    rf"(?![\w/:])(?:\s*(?:[,–]|-(?!\d)|on|at)?\s*(?P<post>{_DAY}))?",
    re.IGNORECASE,
)
_PART_OF_DAY = re.compile(
    rf"(?<![\w/])(?:(?P<day>yesterday|tomorrow|{_W}|{_WORDDATE}|{_NUMDATE})\s+"
    rf"(?P<pod>am|pm|morning|afternoon|evening|night)|(?P<lone>last\s+night|tonight))(?![\w])",
    re.IGNORECASE,
)
_POD_HOURS = {"am": 9, "morning": 9, "pm": 14, "afternoon": 14, "evening": 18, "night": 22}
_LEAD_IN = re.compile(
    r"(?:\b(?:at|from|by|approx|around|about|before|until|till|c)\.?|@)\s*$", re.IGNORECASE
)
_DEADLINE = re.compile(r"\b(?:by|before|until|till|no later than|latest)\s*$", re.IGNORECASE)
_NOT_A_TIME_BEFORE = re.compile(r"(?:\b(?:ref|no|number|op)\.?|[£$€#])\s*$", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"\b(?:since|in|of|year|during|from)\s*$", re.IGNORECASE)
_FOLLOWING_WORD = re.compile(r"[ \t]*([a-z]+)", re.IGNORECASE)
_CLOCK = re.compile(r"\d\d:\d\d")
_TIME_FOLLOWERS = frozenset(
    "in at on near outside when while and hrs today yesterday tomorrow tonight this last with "
    "by for to after before until following from".split()
)


@dataclass(frozen=True)
class TimeMention:
    """A time found in text: where it is, how it reads, and whether it was approximate."""

    start: int
    end: int
    snippet: str  # what parse_when is given, e.g. "tomorrow 09:00"
    deadline: bool  # written after "by", "before", "until"
    approximate: str | None = None  # the words read as a part of the day, e.g. "tomorrow am"


def _clock(match: re.Match[str]) -> str:
    """The time of day of a mention as HH:MM."""
    if match["word"]:
        return {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}[match["word"].lower()]
    if match["h4"]:
        return f"{match['h4']}:{match['m4']}"
    hour, minute, ampm = (
        (int(match["h"]), int(match["m"]), (match["ap"] or "").lower())
        if match["h"]
        else (int(match["h2"]), 0, match["ap2"].lower())
    )
    if ampm and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return f"{hour:02d}:{minute:02d}"


def _plausible(text: str, match: re.Match[str]) -> bool:
    """Whether a bare four-digit number or a dotted time is one in this place."""
    dated = match["pre"] or match["post"] or match["suffix"] or match["zone"]
    before = text[max(0, match.start() - 12) : match.start()]
    if match["h4"]:
        if dated:
            return True
        if _NOT_A_TIME_BEFORE.search(before):
            return False
        if _LEAD_IN.search(before):
            return True
        if match["h4"][:2] in ("19", "20") and _YEAR_BEFORE.search(before):
            return False
        word = _FOLLOWING_WORD.match(text, match.end())
        return word is None or word[1].lower() in _TIME_FOLLOWERS
    if match["sep"] == "." and not (match["ap"] or dated):
        return bool(_LEAD_IN.search(before)) or _alone(text, match)
    return True


def _alone(text: str, match: re.Match[str]) -> bool:
    """A mention with nothing but separators around it on its line or field."""
    before = text[: match.start()].rstrip()
    after = text[match.end() :].lstrip()
    return (not before or before[-1] in "|;,\n-–:") and (not after or after[0] in "|;,\n-–.")


def _mention(text: str, match: re.Match[str]) -> TimeMention:
    day = " ".join(part for part in (match["pre"], match["post"]) if part)
    zone = match["zone"] or ""
    snippet = " ".join(f"{day} {_clock(match)} {zone}".lower().split())
    deadline = bool(_DEADLINE.search(text[max(0, match.start() - 16) : match.start()]))
    return TimeMention(match.start(), match.end(), snippet, deadline)


def _part_of_day(match: re.Match[str]) -> TimeMention:
    """A day and a representative hour ("tomorrow am", "Thu pm", "last night"), approximate."""
    if match["lone"]:
        words = " ".join(match["lone"].split())
        return TimeMention(match.start(), match.end(), f"{words.lower()} 22:00", False, words)
    words = f"{match['day']} {match['pod']}"
    snippet = f"{match['day'].lower()} {_POD_HOURS[match['pod'].lower()]:02d}:00"
    return TimeMention(match.start(), match.end(), snippet, False, words)


def find_times(text: str, limit: int = 8) -> list[TimeMention]:
    """Times in text, in order; parts of the day only where no clock time is given."""
    found: list[TimeMention] = []
    for match in _MENTION.finditer(text):
        if _plausible(text, match):
            found.append(_mention(text, match))
            if len(found) >= limit:
                break
    if found:
        return found
    return [_part_of_day(match) for match in _PART_OF_DAY.finditer(text)][:limit]


def resolve(clock: WhenClock, mention: TimeMention, direction: Direction) -> datetime | WhenProblem:
    """The instant of a mention, weekdays and bare times read in one direction."""
    return clock.read(mention.snippet, direction)


def _both(clock: WhenClock, mention: TimeMention) -> tuple[datetime, datetime] | None:
    """Both readings; around a clock change the day is read at noon, which always exists."""
    for snippet in (mention.snippet, _CLOCK.sub("12:00", mention.snippet)):
        past, future = clock.read(snippet, "past"), clock.read(snippet, "future")
        if isinstance(past, datetime) and isinstance(future, datetime):
            return past, future
    return None


def pinned(clock: WhenClock, mention: TimeMention) -> bool:
    """True when the day is pinned: named ("today", a date) rather than a weekday or none."""
    both = _both(clock, mention)
    return both is not None and (both[0] == both[1] or (both[1] - both[0]).days > 300)


def leaning(clock: WhenClock, mention: TimeMention) -> Direction | None:
    """Which way a mention points: past or future for a pinned day; for a weekday or a bare
    time, the way that is at least three times nearer; else None."""
    both = _both(clock, mention)
    if both is None:
        return None
    back, ahead = clock.now - both[0], both[1] - clock.now
    if both[0] == both[1]:
        return "past" if both[0] <= clock.now else "future"
    if back * 3 <= ahead or ahead * 3 <= back:
        return "past" if back < ahead else "future"
    return None
