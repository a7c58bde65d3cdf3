"""The corpus of replies read by `read_reply`: shares read correctly, recorded wrongly, answered
and silent, against the targets of issue 12 (run with -s to see the figures and the misses)."""

from __future__ import annotations

import pytest

from config.files import load_bodies, load_threats
from config.settings import CONFIG_DIR
from meeting.reading import (
    Ambiguous,
    Conversation,
    NilReturn,
    Readable,
    Reading,
    Unreadable,
    read_reply,
)
from tests.meeting.corpus import CorpusReply, Expected, Tally, Verdict, load_corpus

pytestmark = pytest.mark.pure  # no database: the PostgreSQL pass skips it

THREATS = load_threats(CONFIG_DIR / "threats.toml")
CODES = frozenset(body.code for body in load_bodies(CONFIG_DIR / "bodies.toml"))
CORPUS = load_corpus()


def read(reply: CorpusReply) -> Reading:
    """Read a corpus reply against its briefing."""
    briefing = reply.briefing
    return read_reply(
        reply.text, briefing_date=briefing.meeting_date, now=briefing.now, zone=briefing.zone,
        threats=THREATS, body_codes=CODES,
    )  # fmt: skip


def _update_matches(reading: Readable, expected: Expected) -> bool:
    update = reading.update
    return (
        update.kind.value == expected.kind
        and frozenset(update.threats) == expected.threats
        and update.occurs_at == expected.at
        and (expected.body is None or update.body_code == expected.body)
    )


def _recorded(reading: Readable | NilReturn, expected: Expected) -> Verdict:
    if expected.outcome == "update" and isinstance(reading, Readable):
        return "correct" if _update_matches(reading, expected) else "wrong"
    if expected.outcome == "nil" and isinstance(reading, NilReturn):
        return "correct" if reading.body_code == expected.body else "wrong"
    return "wrong"


def judge(reading: Reading, expected: Expected) -> Verdict:
    """How a reading compares with what the sender meant."""
    if isinstance(reading, Conversation):
        return "correct" if expected.outcome == "conversation" else "silent"
    if isinstance(reading, Readable | NilReturn):
        return _recorded(reading, expected)
    if expected.outcome == "answer" and isinstance(reading, Unreadable):
        return "correct" if expected.code in (None, reading.code) else "answered"
    if expected.outcome == "choice" and isinstance(reading, Ambiguous):
        kinds = frozenset(choice.kind.value for choice in reading.choices)
        return "correct" if kinds == expected.kinds else "answered"
    return "answered"


def test_the_corpus_is_large_and_varied() -> None:
    styles = {reply.style for reply in CORPUS}
    outcomes = {reply.expected.outcome for reply in CORPUS}
    assert len(CORPUS) >= 150 and len(styles) >= 8 and len(outcomes) == 5
    assert sum(reply.briefing.name != "nov" for reply in CORPUS) >= 8  # near the clock changes


def test_the_corpus_is_read_as_its_senders_meant(capsys: pytest.CaptureFixture[str]) -> None:
    tally, held_out, misses = Tally(), Tally(), []
    for reply in CORPUS:
        reading = read(reply)
        verdict = judge(reading, reply.expected)
        for counted in (tally, held_out) if reply.held_out else (tally,):
            counted.add(reply, verdict)
        if verdict != "correct":
            misses.append(f"  {verdict:8} {reply.id}: {reply.text[:70]!r} -> {reading}")
    with capsys.disabled():
        print(f"\nThe corpus, {len(CORPUS)} replies. " + tally.report())
        print("Of which held out (written after tuning): " + held_out.report())
        print("Not as meant:\n" + "\n".join(misses))
    assert tally.share("correct") >= 0.90
    assert tally.share("silent") == 0
    assert tally.left_alone() >= 0.75


@pytest.mark.parametrize("reply", [r for r in CORPUS if r.expected.outcome == "answer"][:1])
def test_an_answer_quotes_little_of_the_text(reply: CorpusReply) -> None:
    reading = read(reply)
    assert isinstance(reading, Unreadable) and reading.message.startswith("Not recorded")
