"""The 08:30 job, end to end: one header in DBM_CHANNEL, stored with its windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from blocks.ids import BlockId
from bot.app import create_app, deps_for
from service.jobs import catch_up_open, run_open_briefing
from service.opening import Opened
from storage.models import Briefing
from tests.conftest import CHANNEL
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")


def at_local(day: date, hour: int = 8, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def windows_text(blocks: list[dict[str, Any]]) -> str:
    """The header's windows (found by block id: the roll-call buttons come first, issue 13)."""
    return str(next(b for b in blocks if b.get("block_id") == BlockId.WINDOWS)["text"]["text"])


def briefings(bot: BotUnderTest) -> list[Briefing]:
    with bot.session() as session:
        return list(session.exec(select(Briefing).order_by(Briefing.meeting_date)))


def test_weekday_job_posts_one_header_with_its_windows(bot: BotUnderTest) -> None:
    monday = at_local(date(2026, 11, 23))
    result = bot.run_job(run_open_briefing, monday)
    assert result is not None and result.status is Opened.POSTED
    (post,) = bot.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == CHANNEL
    assert "Monday 23 November 2026" in post.args["blocks"][0]["text"]["text"]
    windows = windows_text(post.args["blocks"])
    assert "Sun 22 Nov 08:30 GMT" in windows and "Thu 26 Nov 08:30 GMT" in windows
    (briefing,) = briefings(bot)
    assert briefing.status == "open" and briefing.thread_ts == bot.fake.messages(CHANNEL)[0]["ts"]
    assert briefing.events_from == monday - timedelta(hours=24)
    assert briefing.plans_until == monday + timedelta(hours=72)


def test_weekend_and_bank_holiday_post_nothing(bot: BotUnderTest) -> None:
    for day in (date(2026, 11, 21), date(2026, 11, 22), date(2026, 12, 25), date(2026, 12, 28)):
        assert bot.run_job(run_open_briefing, at_local(day)) is None
    assert bot.fake.calls_to("chat.postMessage") == []
    assert briefings(bot) == []


def test_monday_window_starts_at_fridays_briefing(bot: BotUnderTest) -> None:
    friday = at_local(date(2026, 11, 20))
    bot.run_job(run_open_briefing, friday)
    bot.run_job(run_open_briefing, at_local(date(2026, 11, 23)))
    monday = briefings(bot)[-1]
    assert monday.events_from == friday
    assert "Fri 20 Nov 08:30 GMT" in windows_text(
        bot.fake.calls_to("chat.postMessage")[-1].args["blocks"]
    )


def test_day_after_bank_holiday_covers_it(bot: BotUnderTest) -> None:
    thursday = at_local(date(2026, 12, 24))
    bot.run_job(run_open_briefing, thursday)
    bot.run_job(run_open_briefing, at_local(date(2026, 12, 25)))
    bot.run_job(run_open_briefing, at_local(date(2026, 12, 28)))
    bot.run_job(run_open_briefing, at_local(date(2026, 12, 29)))
    assert [b.meeting_date for b in briefings(bot)] == [date(2026, 12, 24), date(2026, 12, 29)]
    assert briefings(bot)[-1].events_from == thursday


def test_week_of_the_clock_change_posts_at_0830_local(bot: BotUnderTest) -> None:
    """Spring 2026: clocks go forward on Sunday 29 March. Friday is GMT, Monday BST."""
    friday, monday = at_local(date(2026, 3, 27)), at_local(date(2026, 3, 30))
    bot.run_job(run_open_briefing, friday)
    bot.run_job(run_open_briefing, monday)
    opened = [b.opened_at for b in briefings(bot)]
    assert [o.astimezone(UTC).hour for o in opened if o] == [8, 7]
    windows = windows_text(bot.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "Fri 27 Mar 08:30 GMT" in windows and "Thu 2 Apr 08:30 BST" in windows


def test_running_the_job_twice_posts_once(bot: BotUnderTest) -> None:
    monday = at_local(date(2026, 11, 23))
    bot.run_job(run_open_briefing, monday)
    again = bot.run_job(run_open_briefing, monday + timedelta(minutes=1))
    assert again is not None and again.status is Opened.ALREADY_OPEN
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    assert len(briefings(bot)) == 1


def test_restart_on_same_database_still_posts_once(bot: BotUnderTest) -> None:
    monday = at_local(date(2026, 11, 23))
    bot.run_job(run_open_briefing, monday)
    restarted = create_app(bot.settings, clock=bot.clock, engine=bot.engine)
    again = run_open_briefing(deps_for(restarted), restarted.client, monday + timedelta(seconds=5))
    assert again is not None and again.status is Opened.ALREADY_OPEN
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_failed_post_releases_the_claim_so_the_next_run_posts(bot: BotUnderTest) -> None:
    monday = at_local(date(2026, 11, 23))
    bot.fake.fail("chat.postMessage", "not_in_channel")
    failed = bot.run_job(run_open_briefing, monday)
    assert (
        failed is not None and failed.status is Opened.FAILED and failed.error == "not_in_channel"
    )
    assert briefings(bot) == []
    retried = bot.run_job(run_open_briefing, monday + timedelta(minutes=1))
    assert retried is not None and retried.status is Opened.POSTED
    assert len(bot.fake.messages(CHANNEL)) == 1


def test_catch_up_within_grace_opens_late_and_after_grace_does_not(bot: BotUnderTest) -> None:
    monday = at_local(date(2026, 11, 23))
    assert bot.run_job(catch_up_open, monday - timedelta(minutes=5)) is None
    late = bot.run_job(catch_up_open, monday + timedelta(minutes=90))
    assert late is not None and late.status is Opened.POSTED
    tuesday = at_local(date(2026, 11, 24))
    assert bot.run_job(catch_up_open, tuesday + timedelta(minutes=121)) is None
    assert [b.meeting_date for b in briefings(bot)] == [date(2026, 11, 23)]


def test_close_job_closes_every_open_briefing_and_is_idempotent(bot: BotUnderTest) -> None:
    from service.closing import run_close_briefing

    bot.run_job(run_open_briefing, at_local(date(2026, 11, 23)))
    bot.run_job(run_open_briefing, at_local(date(2026, 11, 24)))
    closed = bot.run_job(run_close_briefing, at_local(date(2026, 11, 24), 11, 0))
    assert len(closed) == 2
    assert bot.run_job(run_close_briefing, at_local(date(2026, 11, 24), 11, 1)) == []
    assert {b.status for b in briefings(bot)} == {"closed"}
