"""Reminders in the thread: exactly the missing bodies, only their members, once per briefing."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from blocks.ids import ActionId
from bot.scheduler import job_specs
from service.jobs import run_open_briefing
from service.reminders import Reminded, run_scheduled_reminder
from storage.models import JobRun
from tests.conftest import CHAIR, CHANNEL
from tests.rig.fake_slack import validate_blocks
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
ALL = {
    "NCA", "ERSOU", "EMSOU", "NERSOU", "ODYSSEY", "SEROCU", "TARIAN", "TITAN", "VIPER", "ZEPHYR",
    "LONDON", "MPS", "BTP", "COLP", "PSCOT", "PSNI", "MDP", "CNC", "BF", "HMRC", "HOIE", "HMPPS",
    "GLAA", "NPICC", "NPAC",
}  # fmt: skip


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)


def setup_roll_call(bot: BotUnderTest) -> str:
    """Open Monday's briefing; ALICE (BTP) answers, BOB (MDP) and CAROL (MDP, PSNI) do not."""
    result = bot.run_job(run_open_briefing, at(8, 30))
    assert result is not None and result.briefing is not None and result.briefing.thread_ts
    for user, code in (("UALICE", "BTP"), ("UBOB", "MDP"), ("UCAROL", "MDP"), ("UCAROL", "PSNI")):
        bot.command(f"member <@{user}|{user.lower()}> {code}", user=CHAIR)
    bot.command("present NCA", user=CHAIR)
    ts = result.briefing.thread_ts
    bot.press(ActionId.ROLL_PRESENT, user="UALICE", channel=CHANNEL, message_ts=ts)
    return ts


def reminders(bot: BotUnderTest, ts: str) -> list[dict[str, object]]:
    return [m for m in bot.fake.replies(CHANNEL, ts) if m.get("ts") != ts]


def test_scheduled_reminder_names_exactly_the_missing_bodies_once(bot: BotUnderTest) -> None:
    ts = setup_roll_call(bot)
    first = bot.run_job(run_scheduled_reminder, at(9, 15))
    second = bot.run_job(run_scheduled_reminder, at(9, 16))
    assert first.status is Reminded.SENT and second.status is Reminded.ALREADY_SENT
    assert set(first.missing) == ALL - {"NCA", "BTP"}
    assert set(first.mentioned) == {"UBOB", "UCAROL"}
    (message,) = reminders(bot, ts)
    everything = message["text"] + json.dumps(message["blocks"])
    assert "<@UBOB>" in everything and "<@UCAROL>" in everything and "<@UALICE>" not in everything
    assert (
        "<!channel>" not in everything
        and "<!here>" not in everything
        and "@channel" not in everything
    )
    assert "*MDP* Ministry of Defence Police: <@UBOB> <@UCAROL>" in everything
    assert "*BTP*" not in everything and "*NCA*" not in everything
    assert "09:30 GMT" in everything
    assert validate_blocks(message["blocks"], surface="message") == []
    with bot.session() as session:
        (run,) = session.exec(select(JobRun).where(JobRun.job == "roll_call_reminder"))
    assert run.status == "done"


def test_on_demand_reminder_and_nothing_to_remind(bot: BotUnderTest) -> None:
    assert "no open briefing" in bot.command("remind", user=CHAIR).text
    ts = setup_roll_call(bot)
    reply = bot.command("remind", user=CHAIR).text
    assert "Reminder posted in the thread for:" in reply and "MDP" in reply and "BTP" not in reply
    for code in ALL - {"NCA", "BTP"}:
        bot.command(f"apologies {code}", user=CHAIR)
    assert "Every invited body has answered" in bot.command("remind", user=CHAIR).text
    assert bot.run_job(run_scheduled_reminder, at(9, 15)).status is Reminded.NOTHING_MISSING
    assert len(reminders(bot, ts)) == 1


def test_failed_reminder_releases_its_claim(bot: BotUnderTest) -> None:
    ts = setup_roll_call(bot)
    bot.fake.fail("chat.postMessage", "not_in_channel")
    assert bot.run_job(run_scheduled_reminder, at(9, 15)).status is Reminded.FAILED
    assert bot.run_job(run_scheduled_reminder, at(9, 17)).status is Reminded.SENT
    assert len(reminders(bot, ts)) == 1


def test_no_reminder_without_todays_briefing(bot: BotUnderTest) -> None:
    assert bot.run_job(run_scheduled_reminder, at(9, 15)).status is Reminded.NO_BRIEFING
    assert bot.fake.calls_to("chat.postMessage") == []


def test_reminder_job_fires_before_the_call(bot: BotUnderTest) -> None:
    specs = {spec.id: spec for spec in job_specs(bot.settings)}
    reminder = specs["roll_call_reminder"].trigger
    fire = reminder.get_next_fire_time(None, at(8, 0))
    assert fire == at(9, 15)
    assert specs["roll_call_reminder"].run is run_scheduled_reminder
    assert MONDAY.weekday() == 0


def test_a_reminder_missed_while_down_is_sent_on_start_before_the_call(bot: BotUnderTest) -> None:
    from service.reminders import catch_up_reminder

    ts = setup_roll_call(bot)
    assert bot.run_job(catch_up_reminder, at(9, 10)) is None  # not yet due
    late = bot.run_job(catch_up_reminder, at(9, 22))  # down at 09:15, back at 09:22
    assert late is not None and late.status is Reminded.SENT
    again = bot.run_job(catch_up_reminder, at(9, 25))  # a second restart
    assert again is not None and again.status is Reminded.ALREADY_SENT
    assert len(reminders(bot, ts)) == 1


def test_no_late_reminder_once_the_call_has_started(bot: BotUnderTest) -> None:
    from service.reminders import catch_up_reminder

    ts = setup_roll_call(bot)
    assert bot.run_job(catch_up_reminder, at(9, 30)) is None
    assert reminders(bot, ts) == []
