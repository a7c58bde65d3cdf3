"""Thread replies become updates: stored once, acknowledged, refused, edited, deleted."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from meeting.attendance import get_attendance
from meeting.roster import body_by_code
from standin import payloads
from storage.models import Body, Briefing, Intake, Refusal
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.updates_rig import (
    LONDON,
    audit,
    deleted,
    edited,
    ephemerals,
    open_briefing,
    reply,
    speaks_for,
    updates,
)
from tests.rig.harness import BotUnderTest

FIREARMS = "EVENT | firearms | yesterday 22:40 | Shots fired at a house in Salford; no injuries"


def _at(bot: BotUnderTest, hour: int, minute: int) -> None:
    bot.clock.set(datetime(2026, 11, 23, hour, minute, tzinfo=LONDON))


def test_a_reply_stores_one_update_with_the_right_fields(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    ts = reply(bot, briefing, FIREARMS)
    (update,) = updates(bot)
    with bot.session() as session:
        ersou = body_by_code(session=session, code="ERSOU")
        assert ersou is not None
        present = get_attendance(
            session=session, briefing_id=briefing.id or 0, body_id=ersou.id or 0
        )
    assert (update.briefing_id, update.body_id, update.author_id) == (
        briefing.id,
        ersou.id,
        "UALICE",
    )
    assert (update.channel_id, update.message_ts, update.source) == (CHANNEL, ts, "reply")
    assert update.kind == "event" and update.threats == ["FIREARMS"]
    assert update.occurs_at == datetime(2026, 11, 22, 22, 40, tzinfo=UTC)
    assert update.summary == "Shots fired at a house in Salford; no injuries"
    assert update.dedupe_key == f"reply:{CHANNEL}:{ts}" and not update.late
    assert bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    assert ephemerals(bot) == [
        "Recorded for ERSOU as: Significant event · FIREARMS · Sun 22 Nov 22:40 GMT"
    ]
    assert present is not None and present.state == "present" and present.source == "update"
    assert [a.action for a in audit(bot, "update.")] == ["update.create"]


def test_the_same_reply_delivered_twice_is_stored_once(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    ts = reply(bot, briefing, FIREARMS)
    event = payloads.message_event(
        user="UALICE", channel=CHANNEL, text=FIREARMS, ts=ts, thread_ts=briefing.thread_ts
    )
    bot.event(event, event_id="EvRETRY1")
    bot.event(event, event_id="EvRETRY1", retry_num=1)  # Slack's retry of the same delivery
    bot.event(event, event_id="EvOTHER2")  # a second delivery of the same message
    assert len(updates(bot)) == 1
    assert bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    assert len(ephemerals(bot)) == 1  # one confirmation


def test_conversation_in_the_thread_is_left_alone(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    for text in (
        "Morning all, dialling in now",
        "<@UBOB> can you call me after?",
        "Thanks all",
        "+1",
    ):
        ts = reply(bot, briefing, text)
        assert bot.fake.reactions(CHANNEL, ts) == []
    assert updates(bot) == [] and ephemerals(bot) == []
    assert bot.fake.calls_to("reactions.add") == []


def test_a_question_to_the_room_is_answered_not_ignored(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    urgent = _refused(bot, briefing, "Urgent: can someone call me?")
    assert urgent.startswith("Not recorded: I read this as an urgent demand, but found no threat")
    plan = _refused(bot, briefing, "plan for today?")
    assert "found no time it is planned for" in plan
    with bot.session() as session:
        reasons = [r.reason for r in session.exec(select(Refusal).order_by(Refusal.id))]
    assert reasons == ["missing_threat", "missing_time"]


def test_a_plan_a_demand_and_a_leading_body_code(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "BTP", "LONDON")
    _at(bot, 9, 20)
    reply(bot, briefing, "BTP PLAN | OIC, MSHT | Thu 0600 | Warrants at three addresses in Dover")
    reply(bot, briefing, "london urgent | cyber | Need a contact at the trust hit by ransomware")
    plan, demand = updates(bot)
    with bot.session() as session:
        codes = {b.id: b.code for b in session.exec(select(Body))}
    assert (codes[plan.body_id], plan.kind, plan.threats) == ("BTP", "plan", ["MSHT", "OIC"])
    assert plan.occurs_at == datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    assert (codes[demand.body_id], demand.kind, demand.demand_status) == (
        "LONDON",
        "demand",
        "open",
    )
    assert demand.due_at is None
    assert ephemerals(bot) == [
        "Recorded for BTP as: Operational plan · MSHT + OIC · Thu 26 Nov 06:00 GMT",
        "Recorded for LONDON as: Urgent demand · CYBER · no due time",
    ]


def test_someone_speaking_for_several_bodies_is_asked_which(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "BTP", "LONDON")
    _at(bot, 9, 20)
    reply(bot, briefing, FIREARMS)
    (message,) = ephemerals(bot)
    assert "you speak for several bodies (BTP, LONDON)" in message
    assert "`BTP EVENT | ...`" in message
    reply(bot, briefing, "MPS " + FIREARMS)
    assert "you do not speak for MPS; you speak for BTP, LONDON" in ephemerals(bot)[1]
    assert updates(bot) == []


def test_a_slack_connect_guest_reports_for_their_organisations_body(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    with bot.session() as session:
        psni = body_by_code(session=session, code="PSNI")
        assert psni is not None
        psni.external_team_ids = ["TPSNI"]
        session.add(psni)
    bot.fake.add_user("UGUEST", team_id="TPSNI")
    _at(bot, 9, 20)
    reply(bot, briefing, FIREARMS, user="UGUEST", team="TPSNI", user_team="TPSNI")
    (update,) = updates(bot)
    assert update.body_id == psni.id and update.author_id == "UGUEST"


def _refused(bot: BotUnderTest, briefing: Briefing, text: str, user: str = "UALICE") -> str:
    ts = reply(bot, briefing, text, user=user)
    assert updates(bot) == [], text
    assert bot.fake.reactions(CHANNEL, ts) == []
    calls = [c for c in bot.fake.calls_to("chat.postEphemeral") if c.args.get("user") == user]
    assert calls[-1].args["channel"] == CHANNEL
    assert calls[-1].args["thread_ts"] == briefing.thread_ts
    return str(calls[-1].args["text"])


def test_each_error_gets_its_own_message_and_stores_nothing(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    outside = _refused(bot, briefing, "EVENT | firearms | 20/11 22:40 | Shots fired")
    assert "Fri 20 Nov 22:40 GMT is outside this briefing's look-back window" in outside
    assert "Sun 22 Nov 09:05 GMT" in outside and "For example:" in outside
    late_plan = _refused(bot, briefing, "PLAN | OIC | Fri 0600 | Warrants in Dover")
    assert "look-ahead window for plans (Mon 23 Nov 09:05 GMT to Thu 26 Nov 09:05 GMT)" in late_plan
    unknown = _refused(bot, briefing, "EVENT | frogs | yesterday 22:40 | Shots fired")
    assert "`frogs` is not a threat I know" in unknown and "CSEA" in unknown
    no_summary = _refused(bot, briefing, "EVENT | firearms | yesterday 22:40 |")
    assert "the summary is missing" in no_summary
    us_date = _refused(bot, briefing, "EVENT | firearms | 11/22 22:40 | Shots fired")
    assert "is not a UK date" in us_date
    assert "EVENT | firearms | yesterday 22:40 |" in us_date  # a correct example


def test_an_ambiguous_time_at_the_clock_change_is_refused(bot: BotUnderTest) -> None:
    open_briefing(bot, datetime(2026, 10, 23, 9, 5, tzinfo=LONDON))  # Monday looks back to Friday
    bot.command("close", user=CHAIR)
    briefing = open_briefing(bot, datetime(2026, 10, 26, 9, 5, tzinfo=LONDON))
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(datetime(2026, 10, 26, 9, 20, tzinfo=LONDON))
    text = _refused(bot, briefing, "EVENT | drugs | Sun 01:30 | Raid on a cannabis farm")
    assert "happens twice in UK time" in text and "BST" in text
    reply(bot, briefing, "EVENT | drugs | Sun 01:30 GMT | Raid on a cannabis farm")
    (update,) = updates(bot)
    assert update.occurs_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_a_reply_to_a_closed_earlier_briefing_is_refused(bot: BotUnderTest) -> None:
    old = open_briefing(bot, datetime(2026, 11, 20, 9, 5, tzinfo=LONDON))
    bot.command("close", user=CHAIR)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    text = _refused(bot, old, FIREARMS)
    assert "no briefing is open now" in text


def test_someone_not_in_an_invited_body_is_refused(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    _at(bot, 9, 20)
    text = _refused(bot, briefing, FIREARMS, user="UBOB")
    assert "not listed as speaking for any body invited" in text and "/dbm member" in text


def test_secret_material_is_refused_and_not_echoed(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    for text in (
        "EVENT | firearms | yesterday 22:40 | SECRET: source NIGHTJAR reports a shipment",
        "TOP SECRET//STRAP1 operation KESTREL details",
        "classification: secret. Source NIGHTJAR says",
    ):
        message = _refused(bot, briefing, text)
        assert "SECRET" in message and "must never be posted" in message
        assert "NIGHTJAR" not in message and "KESTREL" not in message
    stored = json.dumps([a.after for a in audit(bot, "")])
    assert "NIGHTJAR" not in stored
    with bot.session() as session:
        held = json.dumps([row.payload for row in session.exec(select(Intake))])
    assert "NIGHTJAR" not in held and "KESTREL" not in held  # not even in the intake


def test_an_update_posted_outside_the_thread_is_pointed_to_it(bot: BotUnderTest) -> None:
    open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    ts = bot.fake.add_message(CHANNEL, user="UALICE", text=FIREARMS)
    bot.event(payloads.message_event(user="UALICE", channel=CHANNEL, text=FIREARMS, ts=ts))
    assert "post updates as replies in the thread" in ephemerals(bot)[0]
    assert updates(bot) == []


def test_bot_messages_and_other_channels_are_ignored(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    reply(bot, briefing, FIREARMS, bot_id="B123", subtype="bot_message")
    other = payloads.message_event(
        user="UALICE", channel="C0OTHER", text=FIREARMS, ts="1.1", thread_ts=briefing.thread_ts
    )
    bot.event(other)
    assert updates(bot) == [] and ephemerals(bot) == []


def test_editing_a_reply_edits_the_update_and_is_audited(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    ts = reply(bot, briefing, FIREARMS)
    changed = "EVENT | firearms, drugs | yesterday 23:10 | Shots fired at a house in Eccles"
    edited(bot, briefing, ts, FIREARMS, changed)
    (update,) = updates(bot)
    assert update.threats == ["FIREARMS", "DRUGS"] and update.summary.endswith("Eccles")
    assert update.occurs_at == datetime(2026, 11, 22, 23, 10, tzinfo=UTC)
    (entry,) = audit(bot, "update.edit")
    assert "Salford" in (entry.before or "") and "Eccles" in (entry.after or "")
    assert entry.actor == "UALICE"


def test_editing_a_refused_reply_into_shape_stores_it(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    broken = "EVENT | frogs | yesterday 22:40 | Shots fired"
    ts = reply(bot, briefing, broken)
    edited(bot, briefing, ts, broken, FIREARMS)
    (update,) = updates(bot)
    assert update.message_ts == ts and update.threats == ["FIREARMS"]


def test_deleting_a_reply_withdraws_the_update(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    ts = reply(bot, briefing, "URGENT | cyber | Need a contact at the trust")
    deleted(bot, briefing, ts)
    (update,) = updates(bot)
    assert update.status == "withdrawn" and update.demand_status == "withdrawn"
    (entry,) = audit(bot, "update.withdraw")
    assert "Need a contact" in (entry.before or "") and entry.actor == "UALICE"


def test_a_reply_can_give_a_location_and_the_body_asked_to_respond(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    demand = "URGENT | cyber | Fri 12:00 | for: PSNI | where: Belfast | Need a hospital contact"
    ts = reply(bot, briefing, demand)
    (update,) = updates(bot)
    with bot.session() as session:
        psni = body_by_code(session=session, code="PSNI")
    assert psni is not None
    assert (update.kind, update.location, update.respond_body_id) == ("demand", "Belfast", psni.id)
    assert update.summary == "Need a hospital contact"
    assert ephemerals(bot) == [
        "Recorded for ERSOU as: Urgent demand · CYBER · due Fri 27 Nov 12:00 GMT"
    ]
    edited(bot, briefing, ts, demand, demand.replace("where: Belfast", "where: Derry"))
    (update,) = updates(bot)
    assert (update.location, update.respond_body_id) == ("Derry", psni.id)


def test_a_reply_naming_no_body_is_refused_and_nothing_is_stored(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    _at(bot, 9, 20)
    ts = reply(bot, briefing, "URGENT | cyber | for: NOPE | Need a hospital contact")
    assert updates(bot) == [] and bot.fake.reactions(CHANNEL, ts) == []
    (told,) = ephemerals(bot)
    assert told.startswith("Not recorded:") and "names no body" in told
