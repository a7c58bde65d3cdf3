"""Properties of `read_reply` on any text: it never raises, always decides one of the five
outcomes, and what it decides is well formed (10 000 examples in their own settings)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meeting.labels import MAX_SUMMARY, REFUSAL_LABELS
from meeting.reading import (
    Ambiguous,
    Conversation,
    NilReturn,
    Readable,
    Unreadable,
    read_reply,
)
from tests.meeting.test_parsing import AUTUMN, LONDON, NOV, SPRING, THREATS

pytestmark = pytest.mark.pure  # no database: the PostgreSQL pass skips it

CODES = frozenset({"BTP", "PSNI", "ERSOU", "TARIAN"})
KNOWN_THREATS = {threat.code for threat in THREATS}
# 10 000 short examples take about 12 s (marked slow; the everyday run tries 1 000); the
# 40 000-character case is timed by `python -m bench` (bench/reader.py), not here.
TEN_THOUSAND = settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PIECES = st.sampled_from(
    [
        "EVENT", "Plan:", "urgent -", "sig event", "op plan", "Request", "|", ";", " - ", " – ",
        ",", ". ", "\n", "• ", "1. ", "firearms", "OIC, MSHT", "cse", "drug trafficking",
        "not firearms", "Border Force", "0710", "07:10", "7.10am", "today 0710",
        "last night 22:40", "yesterday 2240", "Thu 0600", "tomorrow am", "03/11 14:00",
        "3 Nov 1400", "31/11", "11/22", "Sun 01:30", "01:30 GMT", "25/10", "29/03", "by 1400",
        "where: Dover", "for: PSNI", "for:", "threat: frogs", "Type: Event", "nil", "NTR",
        "nothing to report", "from BTP", "thanks", "+1", "👍", ":pray:", "<@U0CHAIR01>",
        "@sarah", "<!channel>", "<https://x|y>", "&lt;", "&amp;", "SECRET", "top secret",
        "OFFICIAL-SENSITIVE", "?", "*", "_", "`", "\u202e", "\u200b", "\x00", "ſ", "Ⅻ", " ",
        "need", "will", "arrested", "warrants", "Wendesday", "firarms", "1500 plants",
        "OP-1234", "£22.40", "since 2019", "99:99", "24:00",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=24).map("".join),
    st.lists(PIECES, min_size=1, max_size=12).map(" ".join),
)


def _well_formed(reading: object) -> None:
    if isinstance(reading, Readable):
        update = reading.update
        assert update.summary and len(update.summary) <= MAX_SUMMARY
        assert update.threats and set(update.threats) <= KNOWN_THREATS
    elif isinstance(reading, Unreadable):
        assert reading.code in REFUSAL_LABELS and reading.message.startswith("Not recorded")
        assert (reading.draft is None) == (reading.code == "classified")
    elif isinstance(reading, Ambiguous):
        assert len(reading.choices) == 2 and reading.code in REFUSAL_LABELS
    else:
        assert isinstance(reading, NilReturn | Conversation)


def _decides_one_outcome(text: str, when: tuple[date, datetime]) -> None:
    reading = read_reply(
        text, briefing_date=when[0], now=when[1], zone=LONDON, threats=THREATS, body_codes=CODES
    )
    _well_formed(reading)


@settings(TEN_THOUSAND, max_examples=1_000)
@given(text=TEXTS, when=st.sampled_from([NOV, SPRING, AUTUMN]))
def test_the_reader_never_raises_and_decides_one_outcome(
    text: str, when: tuple[date, datetime]
) -> None:
    _decides_one_outcome(text, when)


@pytest.mark.slow  # about 12 s: the everyday run tries a thousand texts, the full run all of them
@TEN_THOUSAND
@given(text=TEXTS, when=st.sampled_from([NOV, SPRING, AUTUMN]))
def test_ten_thousand_texts_never_make_the_reader_raise(
    text: str, when: tuple[date, datetime]
) -> None:
    _decides_one_outcome(text, when)
