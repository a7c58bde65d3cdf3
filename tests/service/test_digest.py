"""The digest is posted in the thread at close, within Slack's limits, and kept current."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from meeting.roster import body_by_code
from service.closing import CLOSE_STEPS
from service.digest import post_digest
from service.reminders import mark_absent_on_close
from storage.models import Briefing, DigestMessage, Update
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.updates_rig import LONDON, deleted, open_briefing, reply, speaks_for, updates
from tests.rig.fake_slack import validate_blocks
from tests.rig.harness import BotUnderTest


def _at(bot: BotUnderTest, hour: int, minute: int) -> None:
    bot.clock.set(datetime(2026, 11, 23, hour, minute, tzinfo=LONDON))


def _digest_messages(bot: BotUnderTest, briefing: Briefing) -> list[dict[str, Any]]:
    return [
        m
        for m in bot.fake.messages(CHANNEL)
        if m.get("thread_ts") == briefing.thread_ts
        and (m.get("metadata") or {}).get("event_type") == "dbm_digest"
    ]


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(m["blocks"], ensure_ascii=False) for m in messages)


def test_the_digest_step_is_a_closing_step() -> None:
    assert post_digest in CLOSE_STEPS
    assert CLOSE_STEPS.index(post_digest) > CLOSE_STEPS.index(mark_absent_on_close)


def test_closing_posts_the_digest_in_order(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    speaks_for(bot, "UBOB", "BTP")
    _at(bot, 9, 20)
    reply(bot, briefing, "PLAN | drugs | Wed 0600 | Second plan")
    reply(bot, briefing, "EVENT | drugs | yesterday 20:00 | Drugs event")
    reply(bot, briefing, "PLAN | OIC | tomorrow 0500 | First plan", user="UBOB")
    reply(bot, briefing, "EVENT | firearms, drugs | yesterday 21:00 | County lines shooting")
    reply(bot, briefing, "URGENT | cyber | Need a contact", user="UBOB")
    _at(bot, 11, 0)
    bot.command("close", user=CHAIR)
    (message,) = _digest_messages(bot, briefing)
    text = _text([message])
    positions = [
        text.index(s)
        for s in (
            "Urgent demands (1)",
            "Need a contact",
            "Significant events (2)",
            "FIREARMS: Firearms",
            "County lines shooting",
            "DRUGS: Drugs",
            "Drugs event",
            "Operational plans (2)",
            "First plan",
            "Second plan",
            "Updates per body:* BTP 2 · ERSOU 3",
        )
    ]
    assert positions == sorted(positions)
    assert "FIREARMS + DRUGS :link: _cross-cutting_" in text and "1 cross-cutting" in text
    assert "Tue 24 Nov 05:00 GMT" in text
    with bot.session() as session:
        (row,) = session.exec(select(DigestMessage))
    assert row.briefing_id == briefing.id and row.part == 1 and row.ts == message["ts"]
    post_digest(bot.deps, bot.client, briefing, bot.clock())  # a second run posts nothing more
    assert len(_digest_messages(bot, briefing)) == 1


def test_a_late_update_changes_the_posted_digest(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    reply(bot, briefing, "EVENT | drugs | yesterday 20:00 | On time")
    _at(bot, 11, 0)
    bot.command("close", user=CHAIR)
    (before,) = _digest_messages(bot, briefing)
    _at(bot, 11, 30)
    ts = reply(bot, briefing, "EVENT | firearms | today 10:45 | Arrived late")
    assert bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    late = updates(bot)[-1]
    assert late.late and late.briefing_id == briefing.id
    (after,) = _digest_messages(bot, briefing)
    assert after["ts"] == before["ts"]
    edited = [c.args["ts"] for c in bot.fake.calls_to("chat.update")]
    assert edited.count(before["ts"]) == 1  # the digest, once; the header shows the final roll
    assert set(edited) == {before["ts"], briefing.thread_ts}  # call, at the close and after
    assert "Arrived late" in _text([after]) and "_late_" in _text([after])
    deleted(bot, briefing, ts)
    assert "Arrived late" not in _text(_digest_messages(bot, briefing))


def _bulk(bot: BotUnderTest, briefing: Briefing, count: int, *, start: int = 0) -> None:
    """Store many long updates directly (the volume, not the typing, is under test)."""
    kinds = ("event", "plan", "demand")
    threats = ("FIREARMS", "DRUGS,MSHT", "CYBER", "FRAUD")
    with bot.session() as session:
        body = body_by_code(session=session, code="NCA")
        assert body is not None and body.id is not None and briefing.id is not None
        for n in range(start, start + count):
            kind = kinds[n % 3]
            at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC) + timedelta(minutes=n)
            session.add(
                Update(
                    dedupe_key=f"bulk:{n}",
                    briefing_id=briefing.id,
                    body_id=body.id,
                    author_id="UALICE",
                    kind=kind,
                    threats=threats[n % 4].split(","),
                    occurs_at=None if kind == "demand" else at,
                    summary=f"item-{n:03d} <!channel> " + "detail " * 200,
                    source="reply",
                    channel_id=CHANNEL,
                    demand_status="open" if kind == "demand" else None,
                    created_at=at,
                    updated_at=at,
                )
            )


def _assert_whole(bot: BotUnderTest, briefing: Briefing, count: int) -> list[dict[str, Any]]:
    messages = _digest_messages(bot, briefing)
    for message in messages:
        assert len(message["blocks"]) <= 50
        assert validate_blocks(message["blocks"], surface="message") == []
    text = _text(messages)
    missing = [n for n in range(count) if f"item-{n:03d}" not in text]
    assert missing == []
    assert "<!channel>" not in text
    return messages


def test_a_digest_of_120_updates_arrives_whole_within_slacks_limits(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    _bulk(bot, briefing, 120)
    _at(bot, 11, 0)
    bot.command("close", user=CHAIR)
    messages = _assert_whole(bot, briefing, 120)
    assert len(messages) > 1
    assert "Part 1 of" in _text(messages[:1])
    assert bot.fake.calls_to("chat.postMessage")[-1].args.get("thread_ts") == briefing.thread_ts


def test_a_growing_digest_gains_parts(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _bulk(bot, briefing, 3)
    _at(bot, 11, 0)
    bot.command("close", user=CHAIR)
    assert len(_digest_messages(bot, briefing)) == 1
    _bulk(bot, briefing, 100, start=3)
    _at(bot, 11, 30)
    reply(bot, briefing, "EVENT | firearms | today 10:45 | Arrived late")
    messages = _assert_whole(bot, briefing, 103)
    assert len(messages) > 1 and "Arrived late" in _text(messages)
    with bot.session() as session:
        parts = sorted(r.part for r in session.exec(select(DigestMessage)))
    assert parts == list(range(1, len(messages) + 1))
