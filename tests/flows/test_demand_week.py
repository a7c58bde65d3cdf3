"""A week of urgent demands through signed requests: raised on Monday, asked about each
morning, renewed, met, withdrawn, lapsed at Thursday's close, reopened by a chair on Friday."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from blocks.ids import ActionId
from blocks.text import blocks_to_text
from service.header import write_due_header
from service.renewals import tell_lapsed
from storage.models import AuditEntry
from tests.conftest import CHAIR
from tests.flows.rig import (
    at,
    blocks_json,
    close_day,
    demand_by_summary,
    dm_channel,
    dms,
    header_text,
    member,
    open_day,
    press_in,
    reply,
    thread_posts,
)
from tests.rig.harness import BotUnderTest

MONDAY = date(2026, 11, 23)
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (MONDAY + timedelta(days=n) for n in range(1, 5))
CONTACT = "Need a contact at the hospital trust in Luton"
BALLISTICS = "Ballistics comparison with the Stoke discharges"
PURCHASE = "Test purchase officers for a job in Hull"


def prompts(bot: BotUnderTest, user: str) -> list[dict[str, Any]]:
    """The morning questions a person was sent, oldest first."""
    return [m for m in dms(bot, user) if "still needed?" in blocks_to_text(m.get("blocks") or [])]


def prompt_about(bot: BotUnderTest, user: str, summary: str) -> dict[str, Any]:
    """The latest question a person was sent about one demand."""
    found = [m for m in prompts(bot, user) if summary in blocks_to_text(m["blocks"])]
    assert found, f"{user} was not asked about {summary!r}"
    return found[-1]


def answer(bot: BotUnderTest, user: str, summary: str, action: ActionId) -> str:
    """A person presses a button on their latest question about a demand; the private answer."""
    message = prompt_about(bot, user, summary)
    return press_in(bot, message, dm_channel(bot, user), action, user).text


def monday(bot: BotUnderTest) -> None:
    member(bot, "UALICE", "ERSOU")
    member(bot, "UBOB", "MPS")
    member(bot, "UCAROL", "BTP")
    briefing = open_day(bot, MONDAY)
    bot.clock.set(at(MONDAY, 9, 0))
    reply(bot, briefing, f"URGENT | cyber | {CONTACT}", "UALICE")
    reply(bot, briefing, f"URGENT | firearms | {BALLISTICS}", "UCAROL")
    reply(bot, briefing, f"URGENT | drugs | {PURCHASE}", "UBOB")
    assert "Open urgent demands carried" not in header_text(bot, briefing)  # they are in its thread
    close_day(bot, MONDAY)
    assert prompts(bot, "UALICE") == []  # nothing carried into Monday, nothing asked


def tuesday(bot: BotUnderTest) -> None:
    briefing = open_day(bot, TUESDAY)
    header = header_text(bot, briefing)
    assert "Open urgent demands carried (3)" in header
    assert f"*ERSOU*: {CONTACT} · raised Mon 23/11, 1 day" in header
    question = blocks_to_text(prompt_about(bot, "UALICE", CONTACT)["blocks"])
    assert "Is your urgent demand still needed?" in question
    assert "it lapses at the close of the 2nd briefing from today" in question
    assert "[Still needed] [Met] [No longer needed]" in question
    assert [len(prompts(bot, u)) for u in ("UALICE", "UBOB", "UCAROL")] == [1, 1, 1]
    open_day(bot, TUESDAY)  # the job again (a second process, a restart): no second question
    assert [len(prompts(bot, u)) for u in ("UALICE", "UBOB", "UCAROL")] == [1, 1, 1]
    bot.clock.set(at(TUESDAY, 9, 0))
    assert "Noted: still needed" in answer(bot, "UALICE", CONTACT, ActionId.DEMAND_RENEW)
    assert "already said it is still needed today" in answer(
        bot, "UALICE", CONTACT, ActionId.DEMAND_RENEW
    )
    forged = str(demand_by_summary(bot, BALLISTICS).id)
    refused = bot.press(
        ActionId.DEMAND_RENEW, user="UBOB", value=forged, channel="D0", message_ts="1.2"
    )
    assert "Only the body that raised this demand, or a chair" in refused.text
    close_day(bot, TUESDAY)


def wednesday(bot: BotUnderTest) -> None:
    briefing = open_day(bot, WEDNESDAY)
    assert len(prompts(bot, "UALICE")) == 2  # renewed on Tuesday, asked again today
    carol = blocks_to_text(prompt_about(bot, "UCAROL", BALLISTICS)["blocks"])
    assert "it lapses at the close of the next briefing" in carol
    bot.clock.set(at(WEDNESDAY, 9, 0))
    assert "Marked met" in answer(bot, "UALICE", CONTACT, ActionId.DEMAND_MET)
    assert "Marked no longer needed" in answer(bot, "UBOB", PURCHASE, ActionId.DEMAND_WITHDRAW)
    header = header_text(bot, briefing)  # the header follows at once...
    assert CONTACT not in header and PURCHASE in header
    bot.run_job(write_due_header, at(WEDNESDAY, 9, 0, 5))  # ...and a second change 5 s later
    header = header_text(bot, briefing)
    assert CONTACT not in header and PURCHASE not in header
    assert f"*BTP*: {BALLISTICS} · raised Mon 23/11, 2 days" in header
    close_day(bot, WEDNESDAY)


def thursday(bot: BotUnderTest) -> None:
    briefing = open_day(bot, THURSDAY)
    assert f"{BALLISTICS} · raised Mon 23/11, 3 days" in header_text(bot, briefing)
    last = blocks_to_text(prompt_about(bot, "UCAROL", BALLISTICS)["blocks"])
    assert "it lapses when today's briefing closes at 11:00" in last
    assert len(prompts(bot, "UALICE")) == 2  # met: no longer asked
    close_day(bot, THURSDAY)
    digest = "\n".join(thread_posts(bot, briefing))
    assert "Carried demands that lapsed at this close (1)" in digest
    assert f"*BTP*: {BALLISTICS} · raised Mon 23/11, 3 days · _lapsed, not renewed_" in digest
    told = [m["text"] for m in dms(bot, "UCAROL") if "lapsed" in str(m.get("text"))]
    assert len(told) == 1 and "No one renewed it at the last 3 briefings" in told[0]
    tell_lapsed(bot.deps, bot.client, briefing, bot.clock())  # run again: told once only
    assert len([m for m in dms(bot, "UCAROL") if "lapsed" in str(m.get("text"))]) == 1


def friday(bot: BotUnderTest) -> None:
    briefing = open_day(bot, FRIDAY)
    assert "Open urgent demands carried" not in header_text(bot, briefing)
    assert "There are no open urgent demands" in bot.command("demands", user="UCAROL").text
    lapsed = bot.command("demands lapsed", user="UCAROL")
    assert BALLISTICS in lapsed.text and "A chair can reopen" in lapsed.text
    assert ActionId.DEMAND_REOPEN not in blocks_json(lapsed)
    value = str(demand_by_summary(bot, BALLISTICS).id)
    where = {"value": value, "channel": "C0DBM", "message_ts": "1.2"}
    refused = bot.press(ActionId.DEMAND_REOPEN, user="UCAROL", **where)
    assert "Only a chair can reopen" in refused.text
    assert ActionId.DEMAND_REOPEN in blocks_json(bot.command("demands lapsed", user=CHAIR))
    bot.clock.set(at(FRIDAY, 9, 10))
    assert "Reopened" in bot.press(ActionId.DEMAND_REOPEN, user=CHAIR, **where).text
    assert f"*BTP*: {BALLISTICS} · raised Mon 23/11, 4 days" in header_text(bot, briefing)
    theirs, mine = bot.command("demands", user="UALICE"), bot.command("demands", user="UCAROL")
    assert BALLISTICS in theirs.text and ActionId.DEMAND_MET not in blocks_json(theirs)
    assert "Only the body that raised a demand, or a chair, can close it." in theirs.text
    assert {ActionId.DEMAND_RENEW, ActionId.DEMAND_MET} <= set(_actions(mine))


def _actions(result: Any) -> list[str]:
    return [
        e["action_id"]
        for r in result.replies
        for b in r.args.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def test_a_week_of_demands_raised_renewed_met_lapsed_and_reopened(bot: BotUnderTest) -> None:
    for day in (monday, tuesday, wednesday, thursday, friday):
        day(bot)
    with bot.session() as session:
        actions = [
            a.action for a in session.exec(select(AuditEntry)) if a.action.startswith("demand.")
        ]
        lapsed = session.exec(select(AuditEntry).where(AuditEntry.action == "demand.lapsed")).one()
    assert actions == [
        "demand.renewed", "demand.met", "demand.withdrawn", "demand.lapsed", "demand.reopened"
    ]  # fmt: skip
    assert lapsed.actor == "scheduler"


def test_the_header_lists_the_oldest_five_then_points_to_the_rest(bot: BotUnderTest) -> None:
    member(bot, "UALICE", "ERSOU")
    briefing = open_day(bot, MONDAY)
    for minute in range(7):
        bot.clock.set(at(MONDAY, 9, minute))
        reply(bot, briefing, f"URGENT | cyber | Demand number {minute + 1}", "UALICE")
    close_day(bot, MONDAY)
    header = header_text(bot, open_day(bot, TUESDAY))
    assert "Open urgent demands carried (7)" in header
    shown = [n for n in range(1, 8) if f"Demand number {n} ·" in header]
    assert shown == [1, 2, 3, 4, 5] and "and 2 more: `/dbm demands`" in header
    listing = bot.command("demands", user="UALICE").text
    assert all(f"Demand number {n}" in listing for n in range(1, 8))
