"""Recovery from Slack's own record, driven by the real job at chosen instants: what the briefing
thread holds and the bot never received is recorded (timed by each reply's own ts), a recorded
reply that lacks its ✅ gets it, missed edits and deletions are applied, and a reply recorded while
the thread was being read is never taken for deleted."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import col, func, select

from bot.scheduler import recovery_job
from service.closing import run_close_briefing
from storage.models import Briefing, Intake, Update
from tests.conftest import CHANNEL
from tests.handlers.updates_rig import LONDON, open_briefing, reply, speaks_for
from tests.rig.harness import BotUnderTest

EVENT = "EVENT | firearms | {when} | Shots fired in Croydon"


@pytest.fixture
def briefing(bot: BotUnderTest) -> Briefing:
    """Monday's briefing open since 09:05; Alice speaks for ERSOU; Slack's ts follow the clock."""
    bot.fake.clock = lambda: bot.clock().timestamp()
    found = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    return found


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)


def recover(bot: BotUnderTest, when: datetime) -> None:
    """The recovery job runs at `when`, and the work it stored with it."""
    bot.run_job(recovery_job(bot.listeners), when)


def seeded(bot: BotUnderTest, briefing: Briefing, when: datetime, text: str) -> str:
    """A reply that reached Slack's thread at `when` but never reached the bot."""
    assert briefing.thread_ts
    bot.clock.set(when)
    return bot.fake.add_message(CHANNEL, user="UALICE", text=text, thread_ts=briefing.thread_ts)


def update_of(bot: BotUnderTest, ts: str) -> Update | None:
    with bot.session() as session:
        return session.exec(select(Update).where(Update.message_ts == ts)).first()


def intake_rows(bot: BotUnderTest) -> int:
    with bot.session() as session:
        return session.exec(select(func.count()).select_from(Intake)).one()


def test_a_reply_the_bot_never_received_is_recorded_and_answered(
    bot: BotUnderTest, briefing: Briefing
) -> None:
    ts = seeded(bot, briefing, at(9, 10), EVENT.format(when="07:10"))
    assert update_of(bot, ts) is None
    recover(bot, at(9, 40))
    update = update_of(bot, ts)
    assert update is not None and update.source == "reply" and update.status == "active"
    assert update.summary is not None and "Croydon" in update.summary
    assert update.body_id is not None and not update.late
    assert "white_check_mark" in bot.fake.reactions(CHANNEL, ts)
    notes = [c for c in bot.fake.calls_to("chat.postEphemeral") if c.args.get("user") == "UALICE"]
    assert notes and "Recorded" in str(notes[-1].args.get("text"))


def test_a_reply_sent_before_the_close_and_recovered_after_it_is_not_late(
    bot: BotUnderTest, briefing: Briefing
) -> None:
    on_time = seeded(bot, briefing, at(10, 50), EVENT.format(when="07:10"))
    bot.run_job(run_close_briefing, at(11, 0))
    late = seeded(bot, briefing, at(11, 20), EVENT.format(when="10:10"))
    recover(bot, at(11, 30))
    first, second = update_of(bot, on_time), update_of(bot, late)
    assert first is not None and not first.late
    assert second is not None and second.late


def test_looking_again_records_nothing_twice(bot: BotUnderTest, briefing: Briefing) -> None:
    seeded(bot, briefing, at(9, 10), EVENT.format(when="07:10"))
    recover(bot, at(9, 40))
    rows, reactions = intake_rows(bot), len(bot.fake.calls_to("reactions.add"))
    recover(bot, at(9, 45))
    with bot.session() as session:
        assert session.exec(select(func.count()).select_from(Update)).one() == 1
    assert intake_rows(bot) == rows
    assert len(bot.fake.calls_to("reactions.add")) == reactions


def test_a_recorded_reply_that_lost_its_tick_gets_it(bot: BotUnderTest, briefing: Briefing) -> None:
    bot.clock.set(at(9, 10))
    ts = reply(bot, briefing, EVENT.format(when="07:10"))
    assert update_of(bot, ts) is not None
    bot.fake.remove_reactions(CHANNEL, ts)  # the process died before the ✅ reached Slack
    recover(bot, at(9, 40))
    assert "white_check_mark" in bot.fake.reactions(CHANNEL, ts)


def test_an_edit_the_bot_missed_is_applied(bot: BotUnderTest, briefing: Briefing) -> None:
    bot.clock.set(at(9, 10))
    ts = reply(bot, briefing, EVENT.format(when="07:10"))
    bot.clock.set(at(9, 15))
    bot.fake.edit_message(CHANNEL, ts, EVENT.format(when="07:10").replace("Croydon", "Sutton"))
    recover(bot, at(9, 40))
    update = update_of(bot, ts)
    assert update is not None and update.summary is not None and "Sutton" in update.summary


def test_a_reply_deleted_while_the_bot_was_down_is_withdrawn(
    bot: BotUnderTest, briefing: Briefing
) -> None:
    bot.clock.set(at(9, 10))
    ts = reply(bot, briefing, EVENT.format(when="07:10"))
    bot.fake.delete_message(CHANNEL, ts)
    recover(bot, at(9, 40))
    update = update_of(bot, ts)
    assert update is not None and update.status == "withdrawn"


def test_a_reply_recorded_while_the_thread_was_read_is_not_taken_for_deleted(
    bot: BotUnderTest, briefing: Briefing
) -> None:
    """A reply that came in while the pages were fetched is not in the thread as read."""
    bot.clock.set(at(9, 39))
    ts = reply(bot, briefing, EVENT.format(when="07:10"))
    bot.fake.delete_message(CHANNEL, ts)  # absent from what the look at 09:40 reads
    recover(bot, at(9, 40))
    update = update_of(bot, ts)
    assert update is not None and update.status == "active"
    with bot.session() as session:
        deletions = (
            select(func.count()).select_from(Intake).where(col(Intake.key).startswith("delete:"))
        )
        assert session.exec(deletions).one() == 0
    recover(bot, at(9, 45))  # still absent a look later: it was deleted
    update = update_of(bot, ts)
    assert update is not None and update.status == "withdrawn"
