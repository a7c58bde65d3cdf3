"""Every reply in the thread is recorded or answered (issue 12): the private confirmation and its
Edit, Withdraw and kind buttons, the form filled in from an unreadable reply, the choice between
two readings, nil returns in words, people not mapped to a body, and escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from blocks.ids import ActionId, BlockId, CallbackId
from meeting.attendance import get_attendance
from meeting.roster import body_by_code
from storage.models import Intake
from tests.conftest import CHANNEL
from tests.handlers.reply_rig import buttons, last_note, notes_to, press, refusals, setup
from tests.handlers.updates_rig import LONDON, audit, edited, reply, speaks_for, updates
from tests.rig.harness import BotUnderTest

FIREARMS = "EVENT | firearms | yesterday 22:40 | Shots fired at a house in Salford; no injuries"
ASKS = "Need a firearms tactical adviser for a warrant in Leeds Thu 0600"
TWO_WAYS = "firearms: Thu 0600 Dover address"
THU_0600 = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def test_a_recorded_reply_is_confirmed_with_edit_and_withdraw(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, FIREARMS)
    (update,) = updates(bot)
    note = last_note(bot)
    assert note.args["text"] == (
        "Recorded for ERSOU as: Significant event · FIREARMS · Sun 22 Nov 22:40 GMT"
    )
    assert note.args["thread_ts"] == briefing.thread_ts and note.args["channel"] == CHANNEL
    assert buttons(note.args["blocks"]) == {
        ActionId.UPDATE_EDIT: str(update.id),
        ActionId.UPDATE_WITHDRAW: str(update.id),
    }
    press(bot, ActionId.UPDATE_EDIT, str(update.id))
    modal = bot.fake.opened_views()[-1]
    assert modal["callback_id"] == CallbackId.UPDATE_EDIT_MODAL
    assert "Shots fired at a house in Salford" in json.dumps(modal["blocks"])
    withdrawn = press(bot, ActionId.UPDATE_WITHDRAW, str(update.id))
    assert "Withdrawn" in withdrawn.text
    (update,) = updates(bot)
    assert update.status == "withdrawn"
    assert bot.fake.reactions(CHANNEL, ts) == []  # the ✅ goes with it
    again = press(bot, ActionId.REPLY_AS_PLAN, f"reply:{CHANNEL}:{ts}")
    assert "was withdrawn, so it cannot be changed" in again.text
    (update,) = updates(bot)
    assert (update.status, update.kind) == ("withdrawn", "event")


def test_an_edited_reply_is_confirmed_as_changed(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, FIREARMS)
    edited(bot, briefing, ts, FIREARMS, FIREARMS.replace("22:40", "23:10"))
    assert last_note(bot).args["text"] == (
        "Changed: ERSOU's update is now recorded as: Significant event · FIREARMS · "
        "Sun 22 Nov 23:10 GMT"
    )


def test_a_kind_that_was_worked_out_is_said_and_changed_with_one_tap(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, ASKS)
    (update,) = updates(bot)
    assert update.kind == "demand" and bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    note = last_note(bot)
    assert note.args["text"] == "Recorded for ERSOU as: Urgent demand · FIREARMS · no due time"
    assert "I took this to be an urgent demand because it asks for something." in json.dumps(
        note.args["blocks"]
    )
    key = f"reply:{CHANNEL}:{ts}"
    shown = buttons(note.args["blocks"])
    assert shown[ActionId.REPLY_AS_PLAN] == key and shown[ActionId.REPLY_AS_EVENT] == key
    assert ActionId.REPLY_AS_DEMAND not in shown
    bot.clock.set(datetime(2026, 11, 23, 9, 40, tzinfo=LONDON))
    changed = press(bot, ActionId.REPLY_AS_PLAN, key)
    (update,) = updates(bot)
    assert (update.kind, update.occurs_at, update.demand_status) == ("plan", THU_0600, None)
    (answer,) = changed.replies
    assert answer.args["replace_original"] is True
    assert answer.args["text"] == (
        "Changed: ERSOU's update is now recorded as: Operational plan · FIREARMS · "
        "Thu 26 Nov 06:00 GMT"
    )
    assert [a.action for a in audit(bot, "update.")] == ["update.create", "update.edit"]
    refused = press(bot, ActionId.REPLY_AS_EVENT, key)  # last Thursday: before the window
    assert "outside this briefing's look-back window" in refused.text
    assert "The update recorded from this reply is unchanged." in refused.text
    (update,) = updates(bot)
    assert update.kind == "plan"


def test_someone_else_cannot_change_the_kind(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, ASKS)
    answer = press(bot, ActionId.REPLY_AS_PLAN, f"reply:{CHANNEL}:{ts}", user="UBOB")
    assert "Only the author" in answer.text
    (update,) = updates(bot)
    assert update.kind == "demand"


def test_an_unreadable_reply_offers_the_form_filled_in(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, "Event: firearms – shots fired in Luton")
    assert updates(bot) == [] and bot.fake.reactions(CHANNEL, ts) == []
    note = last_note(bot)
    assert note.args["text"].startswith("Not recorded: I read this as a significant event, but")
    assert "found no time it happened" in note.args["text"]
    key = f"reply:{CHANNEL}:{ts}"
    assert buttons(note.args["blocks"]) == {ActionId.REPLY_FORM: key}
    assert [r.reason for r in refusals(bot)] == ["missing_time"]
    opened = press(bot, ActionId.REPLY_FORM, key)
    assert opened.replies == []
    (call,) = bot.fake.calls_to("views.open")
    view = call.args["view"]
    assert view["callback_id"] == CallbackId.UPDATE_MODAL
    fields = {b.get("block_id"): b.get("element", {}) for b in view["blocks"]}
    assert fields[BlockId.UPDATE_KIND]["initial_option"]["value"] == "event"
    assert [o["value"] for o in fields[BlockId.UPDATE_THREATS]["initial_options"]] == ["FIREARMS"]
    assert fields[BlockId.UPDATE_SUMMARY]["initial_value"] == "shots fired in Luton"
    assert "initial_date_time" not in fields[BlockId.UPDATE_WHEN]


def test_the_form_takes_the_whole_text_when_nothing_was_understood(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, "Big op later this week.")
    press(bot, ActionId.REPLY_FORM, f"reply:{CHANNEL}:{ts}")
    view = bot.fake.opened_views()[-1]
    summary = next(b for b in view["blocks"] if b.get("block_id") == BlockId.UPDATE_SUMMARY)
    assert summary["element"]["initial_value"] == "Big op later this week."
    assert updates(bot) == []


def test_only_the_sender_gets_the_form_of_their_reply(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, "Event: firearms – shots fired in Luton")
    answer = press(bot, ActionId.REPLY_FORM, f"reply:{CHANNEL}:{ts}", user="UBOB")
    assert "That form is for the person who sent the reply" in answer.text
    assert bot.fake.calls_to("views.open") == []


def test_an_ambiguous_reply_offers_the_choices_and_records_the_one_pressed_once(
    bot: BotUnderTest,
) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, TWO_WAYS)
    assert updates(bot) == [] and bot.fake.reactions(CHANNEL, ts) == []
    note = last_note(bot)
    assert note.args["text"].startswith("Not recorded yet: I could not tell whether this is a ")
    key = f"reply:{CHANNEL}:{ts}"
    assert buttons(note.args["blocks"]) == {
        ActionId.REPLY_AS_EVENT: key,
        ActionId.REPLY_AS_PLAN: key,
        ActionId.REPLY_FORM: key,
    }
    assert [r.reason for r in refusals(bot)] == ["ambiguous_kind"]
    first = press(bot, ActionId.REPLY_AS_PLAN, key)
    second = press(bot, ActionId.REPLY_AS_PLAN, key)  # pressed twice
    (update,) = updates(bot)
    assert (update.kind, update.occurs_at, update.message_ts) == ("plan", THU_0600, ts)
    assert update.author_id == "UALICE" and update.source == "reply"
    assert bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    assert [a.action for a in audit(bot, "update.")] == ["update.create"]
    expected = "Recorded for ERSOU as: Operational plan · FIREARMS · Thu 26 Nov 06:00 GMT"
    assert first.replies[0].args["text"] == expected
    assert first.replies[0].args["replace_original"] is True
    assert "Operational plan · FIREARMS" in second.text


def test_a_choice_outside_the_window_is_explained_and_stores_nothing(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, TWO_WAYS)
    answer = press(bot, ActionId.REPLY_AS_EVENT, f"reply:{CHANNEL}:{ts}")
    assert "Thu 19 Nov 06:00 GMT is outside this briefing's look-back window" in answer.text
    assert updates(bot) == [] and bot.fake.reactions(CHANNEL, ts) == []


def test_a_kind_is_read_again_at_the_time_the_reply_was_sent(bot: BotUnderTest) -> None:
    briefing = setup(bot)  # 09:20: "1000" is still to come, so a plan today
    ts = reply(bot, briefing, "Firearms search at 1000 at a Dover address")
    (update,) = updates(bot)
    assert (update.kind, update.occurs_at) == ("plan", datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    bot.clock.set(datetime(2026, 11, 23, 11, 0, tzinfo=LONDON))  # pressed later
    press(bot, ActionId.REPLY_AS_EVENT, f"reply:{CHANNEL}:{ts}")
    (update,) = updates(bot)  # as an event, read at 09:20: the last 10:00 was yesterday's
    assert (update.kind, update.occurs_at) == ("event", datetime(2026, 11, 22, 10, 0, tzinfo=UTC))


def test_a_nil_return_in_words_records_present_with_nothing_to_report(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    ts = reply(bot, briefing, "Nothing to report from ERSOU")
    assert updates(bot) == [] and bot.fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    assert last_note(bot).args["text"] == (
        "Recorded at the briefing of Monday 23 November 2026: ERSOU present, nothing to report."
    )
    with bot.session() as session:
        ersou = body_by_code(session=session, code="ERSOU")
        assert ersou is not None and ersou.id is not None
        row = get_attendance(session=session, briefing_id=briefing.id or 0, body_id=ersou.id)
    assert row is not None and (row.state, row.source) == ("nil", "reply")


def test_a_nil_return_after_an_update_keeps_the_body_present(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    speaks_for(bot, "UCAROL", "BTP")
    reply(bot, briefing, FIREARMS, user="UCAROL")
    reply(bot, briefing, "Nil return", user="UCAROL")
    assert last_note(bot, "UCAROL").args["text"] == (
        "Recorded at the briefing of Monday 23 November 2026: BTP stays present: it has "
        "updates at this briefing."
    )
    with bot.session() as session:
        btp = body_by_code(session=session, code="BTP")
        assert btp is not None and btp.id is not None
        row = get_attendance(session=session, briefing_id=briefing.id or 0, body_id=btp.id)
    assert row is not None and row.state == "present"


def test_someone_not_mapped_to_a_body_is_told_how_to_be_added(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    for text in ("Shots fired at a car in Croydon at 07:10 today, firearms", "Nil return", ASKS):
        ts = reply(bot, briefing, text, user="UBOB")
        assert bot.fake.reactions(CHANNEL, ts) == []
        told = last_note(bot, "UBOB").args["text"]
        assert "not listed as speaking for any body invited" in told and "/dbm member" in told
    assert updates(bot) == []
    assert [r.reason for r in refusals(bot)] == ["not_member"] * 3


REFUSED = (
    "EVENT | firearms | 20/11 22:40 | Shots fired",  # outside the window
    "EVENT | frogs | yesterday 22:40 | Shots fired",
    "TOP SECRET//STRAP1 operation KESTREL details",
    "Urgent: can someone call me?",
    "Shots fired in Croydon",
    TWO_WAYS,
    "Apologies from HMPPS today, nobody available",
    "Is anyone from BTP on the call today?",
)


def test_every_refused_reply_is_answered_and_nothing_refused_is_stored(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    sent = [reply(bot, briefing, text) for text in REFUSED]
    assert updates(bot) == []
    assert all(bot.fake.reactions(CHANNEL, ts) == [] for ts in sent)
    kept = {r.key: r.reason for r in refusals(bot)}
    assert set(kept) == {f"reply:{CHANNEL}:{ts}" for ts in sent}
    assert len(notes_to(bot)) == len(REFUSED)
    assert "classified" in kept.values()
    assert "KESTREL" not in json.dumps([n.args for n in notes_to(bot)])
    with bot.session() as session:
        held = [row.payload for row in session.exec(select(Intake))]
    assert "KESTREL" not in json.dumps(held) and "Dover address" in json.dumps(held)


def test_answers_never_bring_a_mention_back_to_life(bot: BotUnderTest) -> None:
    briefing = setup(bot)
    reply(bot, briefing, "EVENT | <!here> | yesterday 22:40 | Shots fired")
    reply(bot, briefing, "Event: <!channel> firearms &lt;b&gt; shots fired")
    notes = notes_to(bot)
    assert len(notes) == 2 and "`&lt;!here&gt;` is not a threat I know" in notes[0].args["text"]
    for note in notes:
        said = json.dumps(note.args)
        assert "<!here>" not in said and "<!channel>" not in said
