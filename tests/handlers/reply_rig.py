"""Helpers for the tests of the answers to thread replies: the private notes and their buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select

from storage.models import Briefing, Refusal
from tests.conftest import CHANNEL
from tests.handlers.updates_rig import LONDON, open_briefing, speaks_for
from tests.rig.fake_slack import Call
from tests.rig.harness import BotUnderTest, CommandResult


def setup(bot: BotUnderTest) -> Briefing:
    """Monday's briefing open since 09:05, Alice speaking for ERSOU, the clock at 09:20."""
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
    return briefing


def notes_to(bot: BotUnderTest, user: str = "UALICE") -> list[Call]:
    """The private notes (ephemeral messages) sent to a person, oldest first."""
    return [c for c in bot.fake.calls_to("chat.postEphemeral") if c.args.get("user") == user]


def last_note(bot: BotUnderTest, user: str = "UALICE") -> Call:
    """The last private note sent to a person."""
    notes = notes_to(bot, user)
    assert notes, f"nothing was said to {user}"
    return notes[-1]


def buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """The buttons of some blocks: action_id -> value."""
    return {
        str(element["action_id"]): str(element.get("value", ""))
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    }


EPHEMERAL_TS = "1763700999.000001"


def press(bot: BotUnderTest, action_id: str, value: str, user: str = "UALICE") -> CommandResult:
    """Press a button on a private note in the briefing channel (answered by response_url)."""
    return bot.press(action_id, user=user, value=value, channel=CHANNEL, message_ts=EPHEMERAL_TS)


def refusals(bot: BotUnderTest) -> list[Refusal]:
    """Every refusal kept, oldest first."""
    with bot.session() as session:
        return list(session.exec(select(Refusal).order_by(Refusal.id)))  # type: ignore[arg-type]
