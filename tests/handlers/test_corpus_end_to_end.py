"""The corpus of thread replies (tests/meeting/corpus) through the path a reply takes: each is
sent as a signed Events API request into the real app, the stand-in captures what the bot said
and did, and the database is checked after. One bot, one briefing per context of the corpus (and
the briefing before it, which sets the look-back window), opened and closed in date order.

Run with -s to see the figures (issue 12: >= 90% read correctly, 0 silent, >= 75% of the
conversation left alone); the README's benchmark section quotes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from blocks.replies import kind_of_action
from meeting.attendance import get_attendance
from meeting.updates import update_by_key
from storage.models import Body, Briefing, Refusal, Update
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.reply_rig import buttons
from tests.handlers.updates_rig import reply, speaks_for
from tests.meeting.corpus import BriefingContext, CorpusReply, Tally, Verdict, load_corpus
from tests.rig.fake_slack import Call
from tests.rig.harness import BotUnderTest

CORPUS = load_corpus()
SENDER_BODY = "ERSOU"  # who sends a reply that names no body


@dataclass(frozen=True)
class Seen:
    """What came of one reply: the stored update, the nil note, the answer, the reaction."""

    update: Update | None
    notes: list[Call]
    reacted: bool
    refusal: Refusal | None
    nil_state: str | None  # the body's attendance after a nil note


def _sender(reply_: CorpusReply) -> str:
    return f"U{reply_.expected.body or SENDER_BODY}"


def _open(bot: BotUnderTest, at: datetime) -> Briefing:
    bot.clock.set(at)
    result = bot.command("open", user=CHAIR)
    assert "Opened the briefing" in result.text, result.text
    with bot.session() as session:
        query = select(Briefing).where(Briefing.opened_at == at)
        return session.exec(query).one()


def _close(bot: BotUnderTest, at: datetime) -> None:
    bot.clock.set(at)
    bot.command("close", user=CHAIR)


def _contexts() -> list[tuple[BriefingContext, list[CorpusReply]]]:
    """Each briefing of the corpus with its replies, in date order; nil returns first, so a body's
    updates never stand in the way of its nil return."""
    grouped: dict[str, list[CorpusReply]] = {}
    for item in CORPUS:
        grouped.setdefault(item.briefing.name, []).append(item)
    found = [(group[0].briefing, group) for group in grouped.values()]
    for _, group in found:
        group.sort(key=lambda r: r.expected.outcome != "nil")
    return sorted(found, key=lambda pair: pair[0].opened_at)


def _nil_state(bot: BotUnderTest, briefing: Briefing, code: str) -> str | None:
    with bot.session() as session:
        body = session.exec(select(Body).where(Body.code == code)).one()
        row = get_attendance(session=session, briefing_id=briefing.id or 0, body_id=body.id or 0)
    return row.state if row is not None else None


def _send(bot: BotUnderTest, briefing: Briefing, item: CorpusReply) -> Seen:
    user = _sender(item)
    before = len(bot.fake.calls_to("chat.postEphemeral"))
    ts = reply(bot, briefing, item.text, user=user)
    notes = [c for c in bot.fake.calls_to("chat.postEphemeral")[before:] if c.args["user"] == user]
    key = f"reply:{CHANNEL}:{ts}"
    with bot.session() as session:
        update = update_by_key(session=session, key=key)
        refusal = session.exec(select(Refusal).where(Refusal.key == key)).first()
    said = " ".join(str(n.args.get("text")) for n in notes)
    nil = _nil_state(bot, briefing, user[1:]) if "Recorded at the briefing" in said else None
    reacted = bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    return Seen(update, notes, reacted, refusal, nil)


def _codes(bot: BotUnderTest) -> dict[int, str]:
    with bot.session() as session:
        return {b.id or 0: b.code for b in session.exec(select(Body))}


def _recorded(item: CorpusReply, seen: Seen, codes: dict[int, str]) -> Verdict:
    update, expected = seen.update, item.expected
    assert update is not None
    at = update.due_at if update.kind == "demand" else update.occurs_at
    confirmed = seen.reacted and any(n.args["text"].startswith("Recorded for") for n in seen.notes)
    right = (
        expected.outcome == "update"
        and update.kind == expected.kind
        and frozenset(update.threats) == expected.threats
        and at == expected.at
        and codes[update.body_id] == (expected.body or SENDER_BODY)
    )
    return "correct" if right and confirmed else "wrong"


def _answered(item: CorpusReply, seen: Seen) -> Verdict:
    expected = item.expected
    assert seen.refusal is not None, f"{item.id}: answered but no refusal kept"
    if expected.outcome == "answer":
        return "correct" if expected.code in (None, seen.refusal.reason) else "answered"
    if expected.outcome == "choice":
        offered = {kind_of_action(a) for n in seen.notes for a in buttons(n.args["blocks"])}
        return "correct" if offered - {None} == expected.kinds else "answered"
    return "answered"


def judge(item: CorpusReply, seen: Seen, codes: dict[int, str]) -> Verdict:
    """What came of a reply against what its sender meant."""
    if seen.update is not None:
        return _recorded(item, seen, codes)
    if seen.nil_state is not None:
        right = item.expected.outcome == "nil" and seen.nil_state == "nil" and seen.reacted
        return "correct" if right else "wrong"
    if seen.notes:
        return _answered(item, seen)
    assert not seen.reacted and seen.refusal is None, f"{item.id}: a refusal nobody was told of"
    return "correct" if item.expected.outcome == "conversation" else "silent"


def _run(bot: BotUnderTest) -> tuple[Tally, Tally, list[str]]:
    for code in {item.expected.body or SENDER_BODY for item in CORPUS}:
        bot.fake.add_user(f"U{code}", name=code.lower())
        speaks_for(bot, f"U{code}", code)
    tally, held_out, misses = Tally(), Tally(), []
    codes = _codes(bot)
    contexts = {context.opened_at: (context, replies) for context, replies in _contexts()}
    previous = {context.previous_opened_at for context, _ in contexts.values()}
    for opened_at in sorted(previous | set(contexts)):
        briefing = _open(bot, opened_at)
        context, replies = contexts.get(opened_at, (None, []))
        if context is not None:
            bot.clock.set(context.now)
        for item in replies:
            seen = _send(bot, briefing, item)
            verdict = judge(item, seen, codes)
            for counted in (tally, held_out) if item.held_out else (tally,):
                counted.add(item, verdict)
            if verdict != "correct":
                said = seen.notes[-1].args["text"][:90] if seen.notes else ""
                misses.append(f"  {verdict:8} {item.id}: {item.text[:60]!r} -> {said!r}")
        _close(bot, opened_at + timedelta(hours=2, minutes=30))
    return tally, held_out, misses


def test_the_corpus_end_to_end(bot: BotUnderTest, capsys: pytest.CaptureFixture[str]) -> None:
    tally, held_out, misses = _run(bot)
    with capsys.disabled():
        print(f"\nThe corpus end to end, {len(CORPUS)} replies. " + tally.report())
        print("Of which held out (written after tuning): " + held_out.report())
        print("Not as meant:\n" + "\n".join(misses))
    assert len(tally.verdicts) + len(tally.conversation) == len(CORPUS)
    assert tally.share("correct") >= 0.90
    assert tally.share("silent") == 0
    assert tally.left_alone() >= 0.75
