"""A realistic audit trail made through the app: a chair and a participant at work."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from meeting.audit import record
from storage.db import session_scope
from tests.conftest import CHAIR
from tests.handlers.updates_rig import edited, open_briefing, reply
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")


def make_trail(bot: BotUnderTest) -> None:
    """A June stand-down (BST), then Monday 23/11/2026: a member mapped, the briefing opened,
    an event reported and corrected, NPAC marked absent by the chair."""
    with session_scope(bot.engine) as session:
        record(
            session=session,
            now=datetime(2026, 6, 1, 23, 30, tzinfo=UTC),  # 00:30 BST on 2 June
            actor=CHAIR,
            action="standdown.set",
            subject="date:2026-06-05",
            after={"reason": "Royal visit"},
        )
    bot.clock.set(datetime(2026, 11, 23, 8, 50, tzinfo=LONDON))
    bot.command("member <@UALICE|alice> BTP", user=CHAIR)
    briefing = open_briefing(bot)
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
    ts = reply(bot, briefing, "EVENT | firearms | yesterday 22:40 | Shots fired at the depot")
    bot.clock.set(datetime(2026, 11, 23, 9, 25, tzinfo=LONDON))
    edited(
        bot,
        briefing,
        ts,
        "EVENT | firearms | yesterday 22:40 | Shots fired at the depot",
        "EVENT | firearms | yesterday 23:10 | Shots fired near the depot",
    )
    bot.clock.set(datetime(2026, 11, 23, 9, 40, tzinfo=LONDON))
    bot.command("absent NPAC", user=CHAIR)
