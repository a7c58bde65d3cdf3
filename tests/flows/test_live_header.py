"""The live header through signed requests: its times, the roll call kept up to date within
Slack's rate limit for chat.update through a rush of 60 check-ins, and its closed state."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

from sqlmodel import select

from blocks.ids import ActionId
from meeting.members import add_member
from meeting.roster import invite_body, invited_bodies
from service.header import write_due_header
from standin import payloads
from storage.models import Attendance, Briefing
from tests.conftest import CHAIR, CHANNEL
from tests.flows.rig import at, close_day, header_actions, header_text, open_day
from tests.rig.harness import BotUnderTest

MONDAY = date(2026, 11, 23)
ROLL_BUTTONS = [ActionId.ROLL_PRESENT, ActionId.ROLL_NIL, ActionId.ROLL_APOLOGIES]
SLACK_PER_MINUTE = 50  # chat.update is a Tier 3 method: about 50 calls a minute
INTERVAL = timedelta(seconds=5)


def sixty_bodies(bot: BotUnderTest) -> list[str]:
    """35 bodies more than the 25 of config/bodies.toml, each with one person; their ids."""
    people = []
    with bot.session() as session:
        for n in range(35):
            code = f"FORCE{n:02d}"
            invite_body(session=session, code=code, name=f"Force {n}", day=date(2026, 1, 1),
                        actor=CHAIR, now=bot.clock())  # fmt: skip
        codes = [b.code for b in invited_bodies(session=session, day=MONDAY)]
        for n, code in enumerate(codes):
            user = f"UP{n:03d}"
            add_member(session=session, user_id=user, code=code, actor=CHAIR, now=bot.clock())
            people.append(user)
    assert len(people) == 60
    return people


def header_updates(bot: BotUnderTest, briefing: Briefing) -> int:
    return len([c for c in bot.fake.calls_to("chat.update") if c.args["ts"] == briefing.thread_ts])


def test_the_header_states_the_call_and_close_times_and_the_roll_call(bot: BotUnderTest) -> None:
    briefing = open_day(bot, MONDAY)
    header = header_text(bot, briefing)
    assert "*Call at 09:30* · closes at 11:00 (UK time)" in header
    assert "*Roll call:* 0 of 25 bodies checked in · 25 to go" in header
    assert header_actions(bot, briefing)[:3] == ROLL_BUTTONS
    summer = open_day(bot, date(2026, 6, 1))  # BST: the same wall-clock times
    assert "*Call at 09:30* · closes at 11:00 (UK time)" in header_text(bot, summer)


def test_a_rush_of_sixty_check_ins_stays_within_the_rate_limit(bot: BotUnderTest) -> None:
    people = sixty_bodies(bot)
    briefing = open_day(bot, MONDAY)
    start = at(MONDAY, 9, 0)
    presses = [(start + i * timedelta(seconds=0.5), 0, user) for i, user in enumerate(people)]
    ticks = [(start + n * INTERVAL, 1, "") for n in range(10)]  # the job's 5-second runs
    writes: list[datetime] = []
    for when, kind, user in sorted(presses + ticks):
        before = header_updates(bot, briefing)
        if kind == 0:
            bot.clock.set(when)
            bot.press(ActionId.ROLL_PRESENT, user=user, channel=CHANNEL,
                      message_ts=briefing.thread_ts)  # fmt: skip
        else:
            bot.run_job(write_due_header, when)
        writes += [when] * (header_updates(bot, briefing) - before)
    gaps = [b - a for a, b in zip(writes, writes[1:], strict=False)]
    assert all(gap >= INTERVAL for gap in gaps), gaps
    assert len(writes) == 7, writes  # 60 check-ins over 30 s: a write every 5 s, not 60
    assert (
        max(sum(1 for w in writes if t <= w < t + timedelta(minutes=1)) for t in writes)
        < SLACK_PER_MINUTE
    )
    assert "*Roll call:* 60 of 60 bodies checked in · every body has answered" in header_text(
        bot, briefing
    )


def test_sixty_check_ins_at_the_same_moment_make_two_writes(bot: BotUnderTest) -> None:
    people = sixty_bodies(bot)
    briefing = open_day(bot, MONDAY)
    bot.clock.set(at(MONDAY, 9, 0))
    assert briefing.thread_ts is not None

    def press(user: str) -> int:
        payload = payloads.block_action(
            user=user, action_id=ActionId.ROLL_NIL, channel=CHANNEL, block_id="dbm_roll_call",
            message_ts=briefing.thread_ts, response_url=bot.fake.response_url(user),
        )  # fmt: skip
        body = payloads.interactive_body(payload)
        return bot.post(body, content_type="application/x-www-form-urlencoded", wait=False).status

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(press, people))
    assert set(statuses) == {200}, statuses
    bot.executor.wait_idle()
    with bot.session() as session:
        recorded = len(session.exec(select(Attendance)).all())
    assert recorded == 60
    edits = header_updates(bot, briefing)
    assert edits == 1, f"{edits} header writes"  # the first check-in's write; the rest wait
    bot.run_job(write_due_header, at(MONDAY, 9, 0, 4))
    assert header_updates(bot, briefing) == 1  # not yet five seconds
    bot.run_job(write_due_header, at(MONDAY, 9, 0, 5))
    assert header_updates(bot, briefing) == 2
    assert "60 of 60 bodies checked in" in header_text(bot, briefing)
    bot.run_job(write_due_header, at(MONDAY, 9, 0, 10))
    assert header_updates(bot, briefing) == 2  # nothing more was due


def test_at_the_close_the_buttons_give_way_to_the_closed_note(bot: BotUnderTest) -> None:
    add = {"actor": CHAIR, "now": at(MONDAY, 8)}
    with bot.session() as session:
        add_member(session=session, user_id="UALICE", code="BTP", **add)
    briefing = open_day(bot, MONDAY)
    bot.clock.set(at(MONDAY, 9, 0))
    bot.press(ActionId.ROLL_PRESENT, user="UALICE", channel=CHANNEL, message_ts=briefing.thread_ts)
    close_day(bot, MONDAY)
    header = header_text(bot, briefing)
    assert "Closed at 11:00* — the digest is in the thread." in header
    assert "*Final roll call:* 1 of 25 bodies checked in · 24 absent" in header
    assert header_actions(bot, briefing) == []
    edits = header_updates(bot, briefing)
    bot.clock.set(at(MONDAY, 11, 5))
    late = bot.press(ActionId.ROLL_PRESENT, user="UALICE", channel=CHANNEL,
                     message_ts=briefing.thread_ts)  # fmt: skip
    assert "is closed, so its roll call is over and nothing was recorded" in late.text
    assert header_updates(bot, briefing) == edits
    assert json.dumps(bot.fake.messages(CHANNEL)[0]["blocks"]).count("dbm_roll") == 0
