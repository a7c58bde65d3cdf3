"""/dbm open and /dbm help through signed HTTP requests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from storage.models import Briefing
from tests.conftest import CHAIR, CHANNEL
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")


def test_chair_opens_the_briefing(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 9, 5, tzinfo=LONDON))
    result = bot.command("open", user=CHAIR)
    assert result.response.status == 200
    assert "Opened the briefing for Monday 23 November 2026" in result.text
    assert len(bot.fake.messages(CHANNEL)) == 1
    with bot.session() as session:
        (briefing,) = session.exec(select(Briefing))
    assert briefing.opened_by == CHAIR and briefing.kind == "scheduled"


def test_open_when_open_links_to_the_thread_and_posts_nothing(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 9, 5, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    again = bot.command("open", user=CHAIR)
    assert "already open" in again.text
    assert "http" in again.text  # the permalink
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_non_chair_is_refused_and_nothing_opens(bot: BotUnderTest) -> None:
    result = bot.command("open", user="UALICE")
    assert "Only the meeting's chairs" in result.text
    assert bot.fake.calls_to("chat.postMessage") == []
    with bot.session() as session:
        assert list(session.exec(select(Briefing))) == []


def test_open_on_a_saturday_is_an_extra_session(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    with bot.session() as session:
        (briefing,) = session.exec(select(Briefing))
    assert briefing.kind == "extra" and briefing.meeting_date == date(2026, 11, 28)
    assert "Extra session" in bot.fake.messages(CHANNEL)[0]["blocks"][0]["text"]["text"]


def test_help_lists_what_each_person_may_do(bot: BotUnderTest) -> None:
    participant = bot.command("help", user="UALICE").text
    chair = bot.command("help", user=CHAIR).text
    assert "/dbm open" not in participant and "/dbm open" in chair
    assert "/dbm help" in participant


def test_unknown_subcommand_gets_help(bot: BotUnderTest) -> None:
    result = bot.command("frobnicate", user="UALICE")
    assert "`/dbm frobnicate` is not a command I know" in result.text
    assert "/dbm help" in result.text


def test_chair_by_user_group(bot: BotUnderTest) -> None:
    """A member of the configured chairs' user group is a chair too."""
    from dataclasses import replace

    from slack_adapter.chairs import ChairDirectory

    bot.fake.set_usergroup("SCHAIRS", ["UBOB"])
    meeting = replace(bot.settings.meeting, chair_usergroup="SCHAIRS")
    bot.deps.chairs = ChairDirectory(meeting.chairs, meeting.chair_usergroup)
    assert "/dbm open" in bot.command("help", user="UBOB").text
    assert "/dbm open" not in bot.command("help", user="UALICE").text


def test_chair_closes_the_open_briefing_once(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 9, 5, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    bot.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    assert (
        "Closed the briefing for Monday 23 November 2026" in bot.command("close", user=CHAIR).text
    )
    assert "no open briefing" in bot.command("close", user=CHAIR).text
    assert "Only the meeting's chairs" in bot.command("close", user="UALICE").text
    with bot.session() as session:
        (briefing,) = session.exec(select(Briefing))
    assert briefing.status == "closed" and briefing.closed_by == CHAIR
