"""The App Home: what each person sees on opening it, and the chair's buttons, end to end."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from blocks.ids import ActionId
from blocks.text import blocks_to_text
from meeting.attendance import State, record_attendance
from meeting.roster import body_by_code
from standin import payloads
from storage.models import Briefing, Member, Update
from tests.conftest import CHAIR, CHANNEL
from tests.rig.fake_slack import validate_view
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
CHAIR_ACTIONS = {
    ActionId.HOME_OPEN,
    ActionId.HOME_CLOSE,
    ActionId.HOME_REMIND,
    ActionId.HOME_EXPORT,
}
HOME = {"id": "VHOME", "type": "home"}


def _open_home(bot: BotUnderTest, user: str) -> dict[str, Any]:
    bot.event(payloads.app_home_opened(user=user))
    views = bot.fake.published_views(user)
    assert views, f"no App Home published for {user}"
    assert validate_view(views[-1]) == []
    return views[-1]


def _action_ids(view: dict[str, Any]) -> set[str]:
    return {e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}


def _text(view: dict[str, Any]) -> str:
    return blocks_to_text(view["blocks"])


def _map(bot: BotUnderTest, user: str, code: str) -> int:
    with bot.session() as session:
        body = body_by_code(session=session, code=code)
        assert body is not None and body.id is not None
        session.add(
            Member(slack_user_id=user, body_id=body.id, added_by=CHAIR, added_at=bot.clock())
        )
        return body.id


def _briefing(bot: BotUnderTest) -> Briefing:
    with bot.session() as session:
        (briefing,) = session.exec(select(Briefing))
        return briefing


def test_a_participant_sees_their_home_without_chair_controls(bot: BotUnderTest) -> None:
    _map(bot, "UALICE", "BTP")
    view = _open_home(bot, "UALICE")
    assert not CHAIR_ACTIONS & _action_ids(view)
    text = _text(view)
    assert "Today, Monday 23 November 2026" in text
    assert "*BTP* (British Transport Police)" in text
    assert "Roll call at a glance" not in text


def test_someone_outside_the_meeting_is_told_how_to_be_added(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    view = _open_home(bot, "UALICE")
    text = _text(view)
    assert "ask a chair to run `/dbm member @you CODE`" in text
    assert "Today, Monday 23 November 2026" not in text and "The briefing is open" not in text
    assert _action_ids(view) == {ActionId.GUIDANCE_SHOW}  # the guidance is for anyone


def test_a_chair_sees_the_roll_call_and_controls(bot: BotUnderTest) -> None:
    view = _open_home(bot, CHAIR)
    assert CHAIR_ACTIONS <= _action_ids(view)
    assert "*No answer yet* (" in _text(view)


def test_opening_the_messages_tab_publishes_nothing(bot: BotUnderTest) -> None:
    event = payloads.app_home_opened(user="UALICE") | {"tab": "messages"}
    bot.event(event)
    assert bot.fake.calls_to("views.publish") == []


def test_home_shows_todays_briefing_attendance_and_updates(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    briefing = _briefing(bot)
    assert briefing.id is not None
    body_id = _map(bot, "UALICE", "BTP")
    now = bot.clock()
    with bot.session() as session:
        record_attendance(
            session=session,
            briefing_id=briefing.id,
            body_id=body_id,
            state=State.NIL,
            source="button",
            actor="UALICE",
            now=now,
        )
        for n, status in enumerate(("active", "withdrawn")):
            session.add(
                Update(
                    dedupe_key=f"test:{n}",
                    briefing_id=briefing.id,
                    body_id=body_id,
                    author_id="UALICE",
                    kind="plan",
                    threats=["OIC", "MSHT"],
                    summary=f"<!channel> warrants {status}",
                    status=status,
                    source="reply",
                    channel_id=CHANNEL,
                    created_at=now,
                    updated_at=now,
                )
            )
    view = _open_home(bot, "UALICE")
    text = _text(view)
    assert "The briefing is open: <https://" in text
    assert "*BTP* (British Transport Police)\nMon nothing to report" in text
    assert "warrants active" in text and "warrants withdrawn" not in text
    assert "<!channel>" not in json.dumps(view)
    edit = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {(e["action_id"], e["value"]) for e in edit} >= {
        (ActionId.UPDATE_EDIT, "1"),
        (ActionId.UPDATE_WITHDRAW, "1"),
    }
    chair_text = _text(_open_home(bot, CHAIR))
    assert "*Present, nothing to report* (1): BTP" in chair_text


def test_chair_opens_and_closes_from_home(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 8, 40, tzinfo=LONDON))
    bot.press(ActionId.HOME_OPEN, user=CHAIR, value="open", view=HOME)
    assert _briefing(bot).status == "open" and len(bot.fake.messages(CHANNEL)) == 1
    opened = bot.fake.published_views(CHAIR)[-1]
    assert "Opened the briefing for Monday 23 November 2026" in _text(opened)
    assert "The briefing is open" in _text(opened)

    bot.press(ActionId.HOME_CLOSE, user=CHAIR, value="close", view=HOME)
    assert _briefing(bot).status == "closed" and _briefing(bot).closed_by == CHAIR
    assert "Closed the briefing for Monday 23 November 2026" in _text(
        bot.fake.published_views(CHAIR)[-1]
    )
    bot.press(ActionId.HOME_CLOSE, user=CHAIR, value="close", view=HOME)
    assert "no open briefing to close" in _text(bot.fake.published_views(CHAIR)[-1])


@pytest.mark.parametrize("action", sorted(CHAIR_ACTIONS))
def test_a_forged_chair_button_from_a_participant_does_nothing(
    bot: BotUnderTest, action: str
) -> None:
    bot.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    bot.fake.reset_calls()
    bot.press(action, user="UALICE", value="x", view=HOME)
    with bot.session() as session:
        (briefing,) = session.exec(select(Briefing))
    assert briefing.status == "open"
    methods = [c.method for c in bot.fake.calls]
    assert methods.count("views.publish") == 1
    assert set(methods) <= {"views.publish", "chat.getPermalink"}  # reads only, then the view
    view = bot.fake.published_views("UALICE")[-1]
    assert "Only the meeting's chairs can use those buttons. Nothing was changed." in _text(view)
    assert not CHAIR_ACTIONS & _action_ids(view)
    assert bot.fake.uploaded_files() == []


def test_chair_reminds_from_home(bot: BotUnderTest) -> None:
    bot.press(ActionId.HOME_REMIND, user=CHAIR, value="remind", view=HOME)
    assert "There is no open briefing" in _text(bot.fake.published_views(CHAIR)[-1])
    bot.clock.set(datetime(2026, 11, 23, 9, 15, tzinfo=LONDON))
    bot.command("open", user=CHAIR)
    bot.press(ActionId.HOME_REMIND, user=CHAIR, value="remind", view=HOME)
    assert "Reminder posted in the thread" in _text(bot.fake.published_views(CHAIR)[-1])
    thread = bot.fake.replies(CHANNEL, _briefing(bot).thread_ts or "")
    assert len(thread) == 2


def test_chair_exports_from_home(bot: BotUnderTest) -> None:
    bot.press(ActionId.HOME_EXPORT, user=CHAIR, value="export", view=HOME)
    assert "Posted" in _text(bot.fake.published_views(CHAIR)[-1])
    assert len(bot.fake.uploaded_files()) == 1


def test_the_home_sends_the_guidance_and_shows_its_acknowledgement(bot: BotUnderTest) -> None:
    bot.command("guidance publish", user=CHAIR)
    _map(bot, "UBOB", "BTP")
    assert "Please read the version of Monday 23 November 2026" in _text(_open_home(bot, "UBOB"))
    bot.press(ActionId.GUIDANCE_SHOW, user="UBOB", value="home", view=HOME)
    (dm,) = [c.args for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == "UBOB"]
    (button,) = [
        e
        for b in dm["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ActionId.GUIDANCE_ACK
    ]
    assert "I have sent you the guidance" in _text(bot.fake.published_views("UBOB")[-1])
    bot.press(ActionId.GUIDANCE_ACK, user="UBOB", value=button["value"], view=HOME)
    assert "You have confirmed reading the version" in _text(_open_home(bot, "UBOB"))
