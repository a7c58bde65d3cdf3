"""Helpers for the meeting-flow tests: days driven by the real jobs at chosen instants, people
mapped to bodies, replies in the thread, presses, and what the bot showed."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from blocks.text import blocks_to_text
from meeting.members import add_member
from service.closing import run_close_briefing
from service.jobs import run_open_briefing
from standin import payloads
from storage.models import Briefing, Update
from tests.conftest import CHAIR, CHANNEL
from tests.rig.harness import BotUnderTest, CommandResult

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int, minute: int = 0, second: float = 0) -> datetime:
    """A UK wall-clock instant of a day."""
    whole = int(second)
    micro = int(round((second - whole) * 1_000_000))
    return datetime(day.year, day.month, day.day, hour, minute, whole, micro, tzinfo=LONDON)


def open_day(bot: BotUnderTest, day: date) -> Briefing:
    """The 08:30 job opens the day's briefing."""
    result = bot.run_job(run_open_briefing, at(day, 8, 30))
    assert result is not None and result.briefing is not None
    return result.briefing


def close_day(bot: BotUnderTest, day: date) -> None:
    """The 11:00 job closes the day's briefing."""
    bot.run_job(run_close_briefing, at(day, 11, 0))


def briefing_of(bot: BotUnderTest, day: date) -> Briefing:
    """The stored briefing of a day."""
    with bot.session() as session:
        return session.exec(select(Briefing).where(Briefing.meeting_date == day)).one()


def member(bot: BotUnderTest, user: str, code: str) -> None:
    """Map a person to a body (as /dbm member does)."""
    with bot.session() as session:
        add_member(session=session, user_id=user, code=code, actor=CHAIR, now=bot.clock())


def reply(bot: BotUnderTest, briefing: Briefing, text: str, user: str) -> str:
    """A person replies in the briefing's thread; returns the reply's ts."""
    assert briefing.thread_ts
    ts = bot.fake.add_message(CHANNEL, user=user, text=text, thread_ts=briefing.thread_ts)
    bot.event(
        payloads.message_event(
            user=user, channel=CHANNEL, text=text, ts=ts, thread_ts=briefing.thread_ts
        )
    )
    return ts


def header_text(bot: BotUnderTest, briefing: Briefing) -> str:
    """The header of a briefing as it stands in the channel now."""
    (header,) = [m for m in bot.fake.messages(CHANNEL) if m["ts"] == briefing.thread_ts]
    return blocks_to_text(header["blocks"])


def header_actions(bot: BotUnderTest, briefing: Briefing) -> list[str]:
    """The action ids of the buttons on a briefing's header now."""
    (header,) = [m for m in bot.fake.messages(CHANNEL) if m["ts"] == briefing.thread_ts]
    return [
        e["action_id"] for b in header["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


def thread_posts(bot: BotUnderTest, briefing: Briefing) -> list[str]:
    """The texts the bot posted in a briefing's thread, oldest first."""
    assert briefing.thread_ts
    return [
        blocks_to_text(m.get("blocks") or []) or str(m.get("text"))
        for m in bot.fake.replies(CHANNEL, briefing.thread_ts)
        if m["ts"] != briefing.thread_ts and m.get("bot_id")
    ]


def dm_channel(bot: BotUnderTest, user: str) -> str:
    """The id of the bot's direct-message channel with a person."""
    return str(bot.client.conversations_open(users=user)["channel"]["id"])


def dms(bot: BotUnderTest, user: str) -> list[dict[str, Any]]:
    """The messages the bot sent a person directly, oldest first."""
    return bot.fake.messages(dm_channel(bot, user))


def press_in(
    bot: BotUnderTest, message: dict[str, Any], channel: str, action_id: str, user: str
) -> CommandResult:
    """Press the button with `action_id` on a message the bot posted."""
    (value,) = [
        e.get("value", "")
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]
    return bot.press(action_id, user=user, value=value, channel=channel, message_ts=message["ts"])


def demand_by_summary(bot: BotUnderTest, summary: str) -> Update:
    """The stored urgent demand with this summary."""
    with bot.session() as session:
        return session.exec(select(Update).where(Update.summary == summary)).one()


def blocks_json(result: CommandResult) -> str:
    """Every block of a command's replies as JSON (to find buttons)."""
    return json.dumps([r.args.get("blocks") for r in result.replies])
