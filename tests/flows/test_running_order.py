"""The running order through signed requests: posted once at 09:30 by the job, in the call's
order; again by a chair with /dbm order; privately to a participant; on a chair's App Home;
updates after it marked in the digest; nothing on a bank holiday."""

from __future__ import annotations

from datetime import date

from blocks.ids import ActionId
from blocks.text import blocks_to_text
from service.running_order import Ordered, catch_up_running_order, run_running_order
from standin import payloads
from storage.models import Briefing
from tests.conftest import CHAIR, CHANNEL
from tests.flows.rig import at, briefing_of, close_day, member, open_day, reply, thread_posts
from tests.rig.harness import BotUnderTest

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)
CHRISTMAS = date(2026, 12, 25)  # a Friday, a bank holiday
TITLE = "Running order: call of Tuesday 24 November 2026"


def _week(bot: BotUnderTest) -> None:
    """Monday's demand (carried into Tuesday), then Tuesday's updates and roll call."""
    for user, code in (("UALICE", "ERSOU"), ("UBOB", "MPS"), ("UCAROL", "BTP"), ("UDAN", "PSNI"),
                       ("UEVE", "HMRC")):  # fmt: skip
        member(bot, user, code)
    monday = open_day(bot, MONDAY)
    bot.clock.set(at(MONDAY, 9, 0))
    reply(bot, monday, "URGENT | cyber | Contact at the hospital trust in Luton", "UALICE")
    close_day(bot, MONDAY)
    tuesday = open_day(bot, TUESDAY)
    bot.clock.set(at(TUESDAY, 9, 0))
    reply(bot, tuesday, "URGENT | firearms | Ballistics comparison for Stoke", "UCAROL")
    reply(bot, tuesday, "EVENT | firearms | yesterday 22:40 | Shots fired in Salford", "UCAROL")
    reply(bot, tuesday, "EVENT | OIC, MSHT | today 05:00 | Lorry of 9 people at Dover", "UALICE")
    reply(bot, tuesday, "EVENT | drugs | yesterday 20:00 | Cannabis grow in Hull", "UBOB")
    reply(bot, tuesday, "PLAN | fraud | Thu 0600 | Search of a boiler room in Derby", "UBOB")
    for user, action in (("UDAN", ActionId.ROLL_NIL), ("UEVE", ActionId.ROLL_APOLOGIES)):
        bot.press(action, user=user, channel=CHANNEL, message_ts=tuesday.thread_ts)


def _order_text(bot: BotUnderTest) -> str:
    posts = [p for p in thread_posts(bot, _tuesday(bot)) if p.startswith("Running order")]
    assert posts, "no running order in the thread"
    return posts[-1]


def _tuesday(bot: BotUnderTest) -> Briefing:
    return briefing_of(bot, TUESDAY)


def test_the_running_order_at_the_call_in_the_order_the_chair_takes_it(bot: BotUnderTest) -> None:
    _week(bot)
    result = bot.run_job(run_running_order, at(TUESDAY, 9, 30))
    assert result.status is Ordered.POSTED and result.parts == 1
    text = _order_text(bot)
    assert text.startswith(TITLE)
    assert "Call at 09:30 · 6 items · roll call: 4 of 25 bodies checked in" in text
    order = [
        "1. Urgent demands raised today (1)", "Ballistics comparison for Stoke",
        "2. Urgent demands carried (1)", "Contact at the hospital trust in Luton",
        "3. Significant events: national priority threats (2)", "Lorry of 9 people at Dover",
        "Shots fired in Salford", "4. Other significant events (1)", "Cannabis grow in Hull",
        "5. Operational plans, next 72 hours (1)", "Search of a boiler room in Derby",
        "6. Checked in, nothing to report (1):* *PSNI*", "7. Not yet checked in (20)",
        "Apologies (1):* *HMRC*",
    ]  # fmt: skip
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert "MSHT + OIC :link: _cross-cutting_" in text
    again = bot.run_job(run_running_order, at(TUESDAY, 9, 31))  # another process, a restart
    assert again.status is Ordered.ALREADY_POSTED
    assert len([p for p in thread_posts(bot, _tuesday(bot)) if p.startswith(TITLE)]) == 1


def test_updates_after_the_running_order_are_marked_in_the_digest(bot: BotUnderTest) -> None:
    _week(bot)
    bot.run_job(run_running_order, at(TUESDAY, 9, 30))
    bot.clock.set(at(TUESDAY, 9, 40))
    reply(bot, _tuesday(bot), "EVENT | cyber | today 09:10 | Phishing wave in Reading", "UBOB")
    close_day(bot, TUESDAY)
    digest = next(p for p in thread_posts(bot, _tuesday(bot)) if p.startswith("Digest"))
    lines = digest.splitlines()
    marked = lines[lines.index(next(x for x in lines if "Phishing wave" in x)) - 1]
    assert marked.startswith("• *MPS*") and marked.endswith(":clock3: _after the running order_")
    assert "Shots fired in Salford" in digest and digest.count("_after the running order_") == 1
    assert "1 after the running order" in digest
    bot.clock.set(at(TUESDAY, 11, 30))
    assert "1 after the running order" in bot.command("status", user=CHAIR).text


def test_a_chair_posts_it_again_and_a_participant_sees_it_privately(bot: BotUnderTest) -> None:
    _week(bot)
    bot.run_job(run_running_order, at(TUESDAY, 9, 30))
    bot.clock.set(at(TUESDAY, 9, 45))
    posted = bot.command("order", user=CHAIR)
    assert "Posted the running order in the thread" in posted.text
    assert len([p for p in thread_posts(bot, _tuesday(bot)) if p.startswith(TITLE)]) == 2
    private = bot.command("order", user="UBOB")
    assert TITLE in private.text and "1. Urgent demands raised today" in private.text
    assert all(r.args.get("response_type") == "ephemeral" for r in private.replies)
    assert len([p for p in thread_posts(bot, _tuesday(bot)) if p.startswith(TITLE)]) == 2
    outsider = bot.command("order", user="UZED")
    assert "ask a chair to run `/dbm member @you CODE`" in outsider.text
    assert TITLE not in outsider.text


def test_a_chairs_app_home_shows_the_running_order(bot: BotUnderTest) -> None:
    _week(bot)
    bot.clock.set(at(TUESDAY, 9, 35))
    bot.event(payloads.app_home_opened(user=CHAIR))
    chair = blocks_to_text(bot.fake.published_views(CHAIR)[-1]["blocks"])
    assert TITLE in chair and "Ballistics comparison for Stoke" in chair
    bot.event(payloads.app_home_opened(user="UBOB"))
    participant = blocks_to_text(bot.fake.published_views("UBOB")[-1]["blocks"])
    assert TITLE not in participant and "Today, Tuesday 24 November 2026" in participant


def test_no_running_order_on_a_bank_holiday(bot: BotUnderTest) -> None:
    result = bot.run_job(run_running_order, at(CHRISTMAS, 9, 30))
    assert result.status is Ordered.NO_BRIEFING
    assert bot.fake.calls_to("chat.postMessage") == []
    assert "There is no open briefing" in bot.command("order", user=CHAIR).text


def test_a_bot_started_after_the_call_posts_it_once_before_the_close(bot: BotUnderTest) -> None:
    _week(bot)
    assert bot.run_job(catch_up_running_order, at(TUESDAY, 9, 29)) is None  # not yet the call
    late = bot.run_job(catch_up_running_order, at(TUESDAY, 9, 50))
    assert late is not None and late.status is Ordered.POSTED
    again = bot.run_job(catch_up_running_order, at(TUESDAY, 9, 55))
    assert again is not None and again.status is Ordered.ALREADY_POSTED
    assert bot.run_job(catch_up_running_order, at(TUESDAY, 11, 0)) is None  # closed by then
    assert len([p for p in thread_posts(bot, _tuesday(bot)) if p.startswith(TITLE)]) == 1
