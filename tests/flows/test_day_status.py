"""/dbm status, /dbm open and the App Home agree about the day in every state: before, during
and after the meeting, when it is late or missed, being opened, on a bank holiday, at a
weekend, on a stood-down day, and in summer time. Signed requests at chosen instants."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from blocks.ids import ActionId
from blocks.text import blocks_to_text
from meeting.briefings import claim_briefing
from standin import payloads
from tests.conftest import CHAIR, CHANNEL
from tests.flows.rig import at, close_day, member, open_day
from tests.rig.harness import BotUnderTest

MONDAY = date(2026, 11, 23)
CHRISTMAS = date(2026, 12, 25)  # Friday, a bank holiday in England and Wales


def status_sentence(bot: BotUnderTest, user: str = CHAIR) -> str:
    """What /dbm status says about the day (its first line, after the date)."""
    text = bot.command("status", user=user).replies[0].args["blocks"][0]["text"]["text"]
    first = text.splitlines()[0]
    return first.split("*: ", 1)[1]


def home_sentence(bot: BotUnderTest, user: str = CHAIR) -> str:
    """What the App Home says about the day (the line under "Today, …")."""
    bot.event(payloads.app_home_opened(user=user))
    lines = blocks_to_text(bot.fake.published_views(user)[-1]["blocks"]).splitlines()
    return lines[[n for n, line in enumerate(lines) if line.startswith("*Today, ")][0] + 1]


def agree(bot: BotUnderTest, when: datetime, expected: str) -> str:
    """Status and App Home give the same sentence at `when`, containing `expected`."""
    bot.clock.set(when)
    said = status_sentence(bot)
    assert expected in said, said
    assert home_sentence(bot) == said
    return said


def test_before_during_and_after_the_meeting(bot: BotUnderTest) -> None:
    agree(bot, at(MONDAY, 8, 0), "The briefing thread opens at 08:30.")
    briefing = open_day(bot, MONDAY)
    said = agree(bot, at(MONDAY, 9, 0), "The briefing is open: <https://")
    assert "already open" in bot.command("open", user=CHAIR).text
    close_day(bot, MONDAY)
    agree(bot, at(MONDAY, 11, 30), "Today's briefing closed at 11:00; the digest is in the thread")
    refused = bot.command("open", user=CHAIR).text
    assert (
        "has closed; the digest is in <https://" in refused and "nothing new was opened" in refused
    )
    assert len([m for m in bot.fake.messages(CHANNEL) if not m.get("thread_ts")]) == 1
    assert briefing.thread_ts is not None and said


def test_late_then_missed_then_opened_by_a_chair(bot: BotUnderTest) -> None:
    agree(bot, at(MONDAY, 9, 0), "was due to open at 08:30 and has not opened yet")
    assert "`/dbm open` opens it now." in bot.command("status", user=CHAIR).text
    agree(bot, at(MONDAY, 10, 45), "too late for the bot to open it on its own")
    assert "Opened the briefing for Monday 23 November 2026" in bot.command("open", user=CHAIR).text
    agree(bot, at(MONDAY, 10, 46), "The briefing is open")


def test_while_another_process_is_posting_the_header(bot: BotUnderTest) -> None:
    with bot.session() as session:
        claim_briefing(session=session, channel=CHANNEL, day=MONDAY, now=at(MONDAY, 8, 30),
                       claimer="other:1", lookback_hours=24, lookahead_hours=72)  # fmt: skip
    agree(bot, at(MONDAY, 8, 30, 20), "The briefing thread is being opened now.")  # 20 s on
    assert "being opened right now" in bot.command("open", user=CHAIR).text
    assert bot.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("day", "sentence", "hint"),
    [
        (CHRISTMAS, "No meeting today: bank holiday (Christmas Day).", "opens an extra session"),
        (date(2026, 11, 28), "No meeting today: Saturday.", "opens an extra session"),
        (date(2026, 11, 26), "No meeting today: stood down: national exercise.",
         "`/dbm standdown cancel 26/11/2026` puts the meeting back on"),
    ],
)  # fmt: skip
def test_a_day_without_a_meeting_says_why_and_what_a_chair_can_do(
    bot: BotUnderTest, day: date, sentence: str, hint: str
) -> None:
    bot.clock.set(at(MONDAY, 8, 0))
    assert "Stood down" in bot.command("standdown 26/11/2026 national exercise", user=CHAIR).text
    agree(bot, at(day, 9, 0), sentence)
    assert hint in bot.command("status", user=CHAIR).text
    assert "Extra session" not in str(bot.fake.messages(CHANNEL))
    assert "Opened the briefing" in bot.command("open", user=CHAIR).text
    agree(bot, at(day, 9, 1), "An extra session is open (no scheduled meeting:")
    assert "Extra session" in str(bot.fake.messages(CHANNEL)[0]["blocks"])


def test_summer_time_keeps_the_wall_clock(bot: BotUnderTest) -> None:
    agree(bot, at(date(2026, 3, 30), 8, 0), "The briefing thread opens at 08:30.")  # BST


def test_status_chases_the_missing_first_and_a_participant_sees_no_chair_hints(
    bot: BotUnderTest,
) -> None:
    member(bot, "UALICE", "BTP")
    member(bot, "UBOB", "MPS")
    briefing = open_day(bot, MONDAY)
    bot.clock.set(at(MONDAY, 9, 0))
    bot.press(ActionId.ROLL_PRESENT, user="UALICE", channel=CHANNEL, message_ts=briefing.thread_ts)
    text = bot.command("status", user=CHAIR).text
    chase, counts = text.index("*Not yet checked in (24)*"), text.index("*Roll call:* 1 of 25")
    assert chase < text.index("• *MPS* Metropolitan Police Service: <@UBOB>") < counts
    assert counts < text.index("*Answered*") < text.index("• *BTP*: present")
    assert "`/dbm close` closes it now" in text
    participant = bot.command("status", user="UALICE").text
    assert "*Not yet checked in (24)*" in participant and "/dbm close" not in participant
    outsider = bot.command("status", user="UZED").text
    assert "ask a chair to run `/dbm member @you CODE`" in outsider and "MPS" not in outsider
