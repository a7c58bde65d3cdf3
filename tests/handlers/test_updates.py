"""The update modal, its card and buttons, /dbm demands and /dbm summary, through the real app."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from blocks.ids import ActionId, BlockId, CallbackId, InputId
from standin import payloads
from storage.models import Update
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.updates_rig import LONDON, audit, open_briefing, reply, speaks_for, updates
from tests.rig.harness import BotUnderTest, Response

YESTERDAY_2240 = datetime(2026, 11, 22, 22, 40, tzinfo=LONDON)


def _values(
    *,
    kind: str = "event",
    threats: tuple[str, ...] = ("FIREARMS",),
    when: datetime | None = YESTERDAY_2240,
    summary: str = "Shots fired at a house in Salford",
    location: str | None = "Salford",
    marking: str = "OFFICIAL",
    respond: int | None = None,
    body: str | None = None,
) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {
        BlockId.UPDATE_KIND: {InputId.KIND: {"selected_option": {"value": kind}}},
        BlockId.UPDATE_THREATS: {
            InputId.THREATS: {"selected_options": [{"value": t} for t in threats]}
        },
        BlockId.UPDATE_WHEN: {
            InputId.WHEN: {"selected_date_time": int(when.timestamp()) if when else None}
        },
        BlockId.UPDATE_LOCATION: {InputId.LOCATION: {"value": location}},
        BlockId.UPDATE_SUMMARY: {InputId.SUMMARY: {"value": summary}},
        BlockId.UPDATE_MARKING: {InputId.MARKING: {"selected_option": {"value": marking}}},
        BlockId.UPDATE_RESPOND_BODY: {
            InputId.RESPOND_BODY: {"selected_option": {"value": str(respond)} if respond else None}
        },
    }
    if body:
        values[BlockId.UPDATE_BODY] = {InputId.BODY: {"selected_option": {"value": body}}}
    return values


def _opened_modal(bot: BotUnderTest, user: str = "UALICE") -> dict[str, Any]:
    result = bot.command("update", user=user)
    assert result.replies == [], result.text
    return bot.fake.opened_views()[-1]


def _submit(
    bot: BotUnderTest,
    modal: dict[str, Any],
    user: str = "UALICE",
    view_id: str = "VMODAL1",
    **kw: Any,
) -> Response:
    payload = payloads.view_submission(
        user=user,
        callback_id=modal["callback_id"],
        values=_values(**kw),
        private_metadata=modal["private_metadata"],
        view_id=view_id,
    )
    return bot.interact(payload)


def _errors(response: Response) -> dict[str, str]:
    assert response.status == 200
    body = response.json() if response.body else {}
    assert body.get("response_action") == "errors", body
    return dict(body["errors"])


def _setup(bot: BotUnderTest) -> None:
    open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))


def test_dbm_update_opens_the_modal_with_priority_threats_first(bot: BotUnderTest) -> None:
    _setup(bot)
    modal = _opened_modal(bot)
    assert bot.fake.calls_to("views.open")[0].args["trigger_id"]
    assert modal["callback_id"] == CallbackId.UPDATE_MODAL
    threats = next(b for b in modal["blocks"] if b.get("block_id") == BlockId.UPDATE_THREATS)
    first, second = threats["element"]["option_groups"]
    assert first["label"]["text"] == "National priority threats"
    assert first["options"][0]["text"]["text"].startswith("★ CSEA")
    assert "DRUGS" in [o["value"] for o in second["options"]]
    assert not any(b.get("block_id") == BlockId.UPDATE_BODY for b in modal["blocks"])
    assert "ERSOU" in json.dumps(modal["blocks"])


def test_the_header_button_opens_the_modal(bot: BotUnderTest) -> None:
    _setup(bot)
    briefing_ts = bot.fake.messages(CHANNEL)[0]["ts"]
    result = bot.press(ActionId.ADD_UPDATE, user="UALICE", channel=CHANNEL, message_ts=briefing_ts)
    assert result.replies == []
    assert bot.fake.opened_views()[-1]["callback_id"] == CallbackId.UPDATE_MODAL


def test_several_bodies_get_a_choice(bot: BotUnderTest) -> None:
    _setup(bot)
    speaks_for(bot, "UALICE", "BTP")
    modal = _opened_modal(bot)
    body = next(b for b in modal["blocks"] if b.get("block_id") == BlockId.UPDATE_BODY)
    assert [o["value"] for o in body["element"]["options"]] == ["BTP", "ERSOU"]
    _submit(bot, modal, body="BTP")
    (update,) = updates(bot)
    assert update.body_id != 0 and update.source == "modal"


def test_a_submission_stores_one_update_and_posts_a_card(bot: BotUnderTest) -> None:
    _setup(bot)
    modal = _opened_modal(bot)
    assert _submit(bot, modal).status == 200
    _submit(bot, modal)  # a double submit of the same view
    (update,) = updates(bot)
    assert (
        update.author_id == "UALICE" and update.kind == "event" and update.threats == ["FIREARMS"]
    )
    assert update.occurs_at == YESTERDAY_2240.astimezone(UTC) and update.location == "Salford"
    assert update.dedupe_key == "modal:VMODAL1" and update.channel_id == CHANNEL
    header, card = bot.fake.messages(CHANNEL)
    assert card["thread_ts"] == header["ts"] and update.message_ts == card["ts"]
    text = json.dumps(card["blocks"])
    assert "Significant event" in text and "ERSOU" in text and "Sun 22 Nov 22:40 GMT" in text
    assert ActionId.UPDATE_EDIT in text and ActionId.UPDATE_WITHDRAW in text


def test_field_errors_store_nothing(bot: BotUnderTest) -> None:
    _setup(bot)
    modal = _opened_modal(bot)
    old = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    assert (
        "outside this briefing's look-back window"
        in _errors(_submit(bot, modal, when=old))[BlockId.UPDATE_WHEN]
    )
    far = datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)
    plan = _errors(_submit(bot, modal, kind="plan", when=far))[BlockId.UPDATE_WHEN]
    assert "look-ahead window for plans" in plan and "Thu 26 Nov 09:05 GMT" in plan
    assert BlockId.UPDATE_WHEN in _errors(_submit(bot, modal, when=None))
    assert BlockId.UPDATE_THREATS in _errors(_submit(bot, modal, threats=()))
    assert "Write a summary" in _errors(_submit(bot, modal, summary="   "))[BlockId.UPDATE_SUMMARY]
    secret = _errors(_submit(bot, modal, summary="UK SECRET source OSPREY"))
    assert "SECRET" in secret[BlockId.UPDATE_SUMMARY]
    assert "OSPREY" not in json.dumps(secret)
    assert updates(bot) == [] and len(bot.fake.messages(CHANNEL)) == 1


def test_no_briefing_or_no_body_gets_a_clear_answer(bot: BotUnderTest) -> None:
    speaks_for(bot, "UALICE", "ERSOU")
    assert "no briefing is open now" in bot.command("update", user="UALICE").text
    open_briefing(bot)
    assert "not listed as speaking for any body" in bot.command("update", user="UBOB").text
    assert bot.fake.calls_to("views.open") == []


def _card_ts(bot: BotUnderTest) -> str:
    return str(bot.fake.messages(CHANNEL)[-1]["ts"])


def test_withdraw_from_the_card_by_the_author_only(bot: BotUnderTest) -> None:
    _setup(bot)
    _submit(bot, _opened_modal(bot))
    (update,) = updates(bot)
    value, ts = str(update.id), _card_ts(bot)
    refused = bot.press(
        ActionId.UPDATE_WITHDRAW, user="UBOB", value=value, channel=CHANNEL, message_ts=ts
    )
    assert "Only the author" in refused.text and updates(bot)[0].status == "active"
    done = bot.press(
        ActionId.UPDATE_WITHDRAW, user="UALICE", value=value, channel=CHANNEL, message_ts=ts
    )
    assert "Withdrawn" in done.text and updates(bot)[0].status == "withdrawn"
    assert "withdrawn" in json.dumps(bot.fake.messages(CHANNEL)[-1]["blocks"])
    assert [a.action for a in audit(bot, "update.")] == ["update.create", "update.withdraw"]


def test_a_button_pressed_in_app_home_refreshes_the_home_with_the_answer(
    bot: BotUnderTest,
) -> None:
    _setup(bot)
    _submit(bot, _opened_modal(bot))
    (update,) = updates(bot)
    home = {"id": "VHOME", "type": "home", "blocks": []}
    bot.press(ActionId.UPDATE_WITHDRAW, user="UALICE", value=str(update.id), view=home)
    assert updates(bot)[0].status == "withdrawn"
    (published,) = bot.fake.published_views("UALICE")
    shown = json.dumps(published["blocks"])
    assert "Withdrawn" in shown
    assert f'"value": "{update.id}"' not in shown  # no longer listed among today's updates


def test_edit_from_the_card_opens_a_prefilled_modal_and_saves(bot: BotUnderTest) -> None:
    _setup(bot)
    _submit(bot, _opened_modal(bot))
    (update,) = updates(bot)
    bot.press(
        ActionId.UPDATE_EDIT,
        user="UALICE",
        value=str(update.id),
        channel=CHANNEL,
        message_ts=_card_ts(bot),
    )
    modal = bot.fake.opened_views()[-1]
    assert modal["callback_id"] == CallbackId.UPDATE_EDIT_MODAL
    assert "Shots fired at a house in Salford" in json.dumps(modal["blocks"])
    _submit(
        bot,
        modal,
        view_id="VEDIT",
        summary="Shots fired at a house in Eccles",
        threats=("FIREARMS", "DRUGS"),
    )
    (edited,) = updates(bot)
    assert edited.summary == "Shots fired at a house in Eccles" and edited.threats == [
        "FIREARMS",
        "DRUGS",
    ]
    (entry,) = audit(bot, "update.edit")
    assert "Salford" in (entry.before or "") and "Eccles" in (entry.after or "")
    card = json.dumps(bot.fake.messages(CHANNEL)[-1]["blocks"])
    assert "Eccles" in card and "cross-cutting" in card


def test_user_text_is_echoed_inert_on_the_card(bot: BotUnderTest) -> None:
    _setup(bot)
    summary = "Alert <!channel> and <@U123> and <!subteam^S1> and @here and @everyone"
    _submit(bot, _opened_modal(bot), summary=summary, location="<!here> Leeds")
    text = bot.fake.messages(CHANNEL)[-1]["blocks"][0]["text"]["text"]
    for raw in ("<!channel>", "<@U123>", "<!subteam^S1>", "<!here>"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text
    assert "@here" not in text and "@everyone" not in text


def _header_blocks(bot: BotUnderTest) -> str:
    headers = [m for m in bot.fake.messages(CHANNEL) if not m.get("thread_ts")]
    return json.dumps(headers[-1]["blocks"])


def test_an_open_demand_is_carried_into_the_next_header_until_closed(bot: BotUnderTest) -> None:
    _setup(bot)
    modal = _opened_modal(bot)
    _submit(
        bot,
        modal,
        kind="demand",
        threats=("CYBER",),
        when=None,
        summary="Need a contact at the trust",
        respond=1,
    )
    (demand,) = updates(bot)
    assert demand.demand_status == "open" and demand.respond_body_id == 1
    bot.command("close", user=CHAIR)
    open_briefing(bot, datetime(2026, 11, 24, 9, 5, tzinfo=LONDON))
    assert "Need a contact at the trust" in _header_blocks(bot)
    listing = bot.command("demands", user="UALICE")
    assert "Need a contact at the trust" in listing.text and ActionId.DEMAND_MET in listing.text
    # The buttons of the ephemeral /dbm demands list.
    where = {"channel": CHANNEL, "message_ts": str(bot.fake.messages(CHANNEL)[-1]["ts"])}
    refused = bot.press(ActionId.DEMAND_MET, user="UBOB", value=str(demand.id), **where)
    assert "Only the author" in refused.text
    met = bot.press(ActionId.DEMAND_MET, user=CHAIR, value=str(demand.id), **where)
    assert "Marked met" in met.text
    again = bot.press(ActionId.DEMAND_MET, user=CHAIR, value=str(demand.id), **where)
    assert "already closed" in again.text
    closed: Update = updates(bot)[0]
    assert closed.demand_status == "met" and closed.demand_closed_by == CHAIR
    assert [a.action for a in audit(bot, "demand.")] == ["demand.met"]
    assert "no open urgent demands" in bot.command("demands", user="UALICE").text
    bot.command("close", user=CHAIR)
    open_briefing(bot, datetime(2026, 11, 25, 9, 5, tzinfo=LONDON))
    assert "Need a contact at the trust" not in _header_blocks(bot)


def test_summary_shows_the_digest_to_the_caller(bot: BotUnderTest) -> None:
    _setup(bot)
    _submit(bot, _opened_modal(bot))
    assert "ask a chair to run `/dbm member @you CODE`" in bot.command("summary", user="UBOB").text
    speaks_for(bot, "UBOB", "BTP")
    result = bot.command("summary", user="UBOB")
    assert "Digest: briefing of Monday 23 November 2026" in result.text
    assert "Shots fired at a house in Salford" in result.text
    assert all(r.args.get("response_type") == "ephemeral" for r in result.replies)


def test_the_open_header_follows_the_demands_it_carries(bot: BotUnderTest) -> None:
    monday = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
    reply(bot, monday, "URGENT | cyber | Fri 12:00 | for: PSNI | Need a contact at the trust")
    (demand,) = updates(bot)
    assert "Open urgent demands" not in _header_blocks(bot)  # today's demands are in the thread
    bot.command("close", user=CHAIR)
    tuesday = open_briefing(bot, datetime(2026, 11, 24, 9, 5, tzinfo=LONDON))
    assert "Need a contact at the trust" in _header_blocks(bot)  # carried into Tuesday's
    where = {"channel": CHANNEL, "message_ts": str(tuesday.thread_ts)}
    met = bot.press(ActionId.DEMAND_MET, user=CHAIR, value=str(demand.id), **where)
    assert "Marked met" in met.text
    assert "Need a contact at the trust" not in _header_blocks(bot)  # and gone once it was met
    edits = [c for c in bot.fake.calls_to("chat.update") if c.args.get("ts") == tuesday.thread_ts]
    assert len(edits) == 1
    live, closed = [c for c in bot.fake.calls_to("chat.update") if c.args["ts"] == monday.thread_ts]
    assert "1 of 25 bodies checked in" in json.dumps(live.args["blocks"])  # ERSOU's reply
    assert "Closed at 09:20" in json.dumps(closed.args["blocks"])  # then the close
