"""Briefing content is for the meeting (issue 11 item 6): /dbm summary, demands, order and
status answer chairs and people who speak for an invited body; anyone else is told how to be
added and sees nothing of it. /dbm bodies shows no update text and is open to all."""

from __future__ import annotations

from datetime import date

import pytest

from blocks.text import blocks_to_text
from standin import payloads
from tests.conftest import CHAIR
from tests.flows.rig import at, member, open_day, reply
from tests.rig.harness import BotUnderTest

MONDAY = date(2026, 11, 23)
SECRETISH = "Shots fired at a house in Salford"
HOW = "ask a chair to run `/dbm member @you CODE`"
CONTENT = ["summary", "demands", "demands lapsed", "order", "status"]


def _briefing_with_an_update(bot: BotUnderTest) -> None:
    member(bot, "UALICE", "BTP")
    briefing = open_day(bot, MONDAY)
    bot.clock.set(at(MONDAY, 9, 0))
    reply(bot, briefing, f"EVENT | firearms | yesterday 22:40 | {SECRETISH}", "UALICE")
    reply(bot, briefing, "URGENT | firearms | Ballistics for the Salford shooting", "UALICE")


@pytest.mark.parametrize("text", CONTENT)
def test_someone_outside_the_meeting_is_refused_and_told_how_to_join(
    bot: BotUnderTest, text: str
) -> None:
    _briefing_with_an_update(bot)
    refused = bot.command(text, user="UZED")
    assert refused.response.status == 200 and HOW in refused.text
    assert "Salford" not in refused.text and "BTP" not in refused.text
    assert len(refused.replies) == 1 and refused.replies[0].args["response_type"] == "ephemeral"


@pytest.mark.parametrize("text", CONTENT)
def test_members_of_invited_bodies_and_chairs_are_answered(bot: BotUnderTest, text: str) -> None:
    _briefing_with_an_update(bot)
    for user in ("UALICE", CHAIR):  # the chair speaks for no body
        assert HOW not in bot.command(text, user=user).text


def test_a_member_of_a_body_no_longer_invited_is_refused(bot: BotUnderTest) -> None:
    _briefing_with_an_update(bot)
    member(bot, "UBOB", "MDP")
    assert SECRETISH in bot.command("summary", user="UBOB").text
    bot.clock.set(at(MONDAY, 12, 0))
    assert "no longer invited" in bot.command("uninvite MDP", user=CHAIR).text
    bot.clock.set(at(date(2026, 11, 24), 9, 0))
    assert HOW in bot.command("summary", user="UBOB").text


def test_the_app_home_shows_nothing_of_the_briefing_to_an_outsider(bot: BotUnderTest) -> None:
    _briefing_with_an_update(bot)
    bot.event(payloads.app_home_opened(user="UZED"))
    text = blocks_to_text(bot.fake.published_views("UZED")[-1]["blocks"])
    assert HOW in text and "briefing is open" not in text and "Roll call" not in text


def test_the_roster_is_open_to_everyone(bot: BotUnderTest) -> None:
    listing = bot.command("bodies", user="UZED").text
    assert "*BTP* British Transport Police" in listing and HOW not in listing
    assert "/dbm bodies" in bot.command("help", user="UZED").text
