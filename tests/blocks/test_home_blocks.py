"""App Home view builders, without mocks: content, chair-only controls, Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blocks.home import GuidanceState, HomeView, build_home_view
from blocks.ids import ActionId, BlockId
from blocks.text import blocks_to_text
from meeting.home import BodyWeek, DayRecord, RollCallLine, TodayBriefing
from meeting.update_view import UpdateView
from tests.rig.fake_slack import validate_view

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 11, 25)
CHAIR_ACTIONS = {
    ActionId.HOME_OPEN,
    ActionId.HOME_CLOSE,
    ActionId.HOME_REMIND,
    ActionId.HOME_EXPORT,
}


def _today(status: str = "open", reason: str | None = None) -> TodayBriefing:
    held = status in ("open", "closed")
    return TodayBriefing(
        day=DAY,
        status=status,
        reason=reason,
        briefing_id=1 if held else None,
        channel_id="C0DBM",
        thread_ts="1.0" if held else None,
        events_from=datetime(2026, 11, 24, 8, 30, tzinfo=UTC) if held else None,
        plans_until=datetime(2026, 11, 28, 8, 30, tzinfo=UTC) if held else None,
        opens_at=datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
        call_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        closes_at=datetime(2026, 11, 25, 11, 0, tzinfo=UTC),
        closed_at=datetime(2026, 11, 25, 10, 45, tzinfo=UTC) if status == "closed" else None,
    )


def _update(n: int, summary: str = "Handgun recovered") -> UpdateView:
    return UpdateView(
        update_id=n,
        briefing_id=1,
        body_id=1,
        body_code="BTP",
        author_id="U1",
        kind="event",
        threats=("FIREARMS", "DRUGS"),
        occurs_at=datetime(2026, 11, 24, 22, 40, tzinfo=UTC),
        created_at=datetime(2026, 11, 25, 8, 40, tzinfo=UTC),
        summary=summary,
        late=False,
    )


def _week() -> BodyWeek:
    return BodyWeek(
        "BTP",
        "British Transport Police",
        (
            DayRecord(date(2026, 11, 23), True, "nil"),
            DayRecord(date(2026, 11, 24), False, None),
            DayRecord(DAY, True, None),
        ),
    )


def _view(**changes: Any) -> HomeView:
    base: dict[str, Any] = {
        "zone": LONDON,
        "today": _today(),
        "thread_url": "https://nca-dbm.slack.com/archives/C0DBM/p1",
        "weeks": (_week(),),
        "updates": (_update(41),),
        "guidance": GuidanceState(datetime(2026, 11, 20, tzinfo=UTC), False, "https://x/p2"),
    }
    base.update(changes)
    return HomeView(**base)


def _action_ids(view: dict[str, Any]) -> set[str]:
    return {
        element["action_id"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def test_participant_view_has_no_chair_controls_and_is_valid() -> None:
    view = build_home_view(_view())
    assert validate_view(view) == []
    assert view["type"] == "home"
    assert not CHAIR_ACTIONS & _action_ids(view)
    text = blocks_to_text(view["blocks"])
    assert "<https://nca-dbm.slack.com/archives/C0DBM/p1|go to the thread>" in text
    assert "Events since Tue 24 Nov 08:30 GMT · plans until Sat 28 Nov 08:30 GMT" in text
    assert (
        "*BTP* (British Transport Police)\nMon nothing to report · Tue no meeting · Wed no answer"
        in text
    )
    assert "Please read the version of Friday 20 November 2026" in text


def test_updates_have_edit_and_withdraw_buttons_with_the_update_id() -> None:
    view = build_home_view(_view())
    (buttons,) = [b for b in view["blocks"] if b["type"] == "actions" and len(b["elements"]) == 2]
    assert [(e["action_id"], e["value"]) for e in buttons["elements"]] == [
        (ActionId.UPDATE_EDIT, "41"),
        (ActionId.UPDATE_WITHDRAW, "41"),
    ]
    assert "*Significant event* · BTP · FIREARMS, DRUGS · Tue 24 Nov 22:40 GMT" in blocks_to_text(
        view["blocks"]
    )


def test_chair_view_has_roll_call_and_controls() -> None:
    lines = (
        RollCallLine("BTP", "British Transport Police", "present"),
        RollCallLine("COLP", "City of London Police", "nil"),
        RollCallLine("MDP", "Ministry of Defence Police", None),
        RollCallLine("NPAC", "National Ports Analysis Centre", None),
    )
    view = build_home_view(_view(roll_call=lines))
    assert validate_view(view) == []
    assert CHAIR_ACTIONS <= _action_ids(view)
    (chair,) = [b for b in view["blocks"] if b.get("block_id") == BlockId.HOME_CHAIR_ACTIONS]
    assert "confirm" in chair["elements"][1]  # closing asks first
    text = blocks_to_text(view["blocks"])
    assert "*Present* (1): BTP" in text
    assert "*Present, nothing to report* (1): COLP" in text
    assert "*No answer yet* (2): MDP, NPAC" in text


def test_many_long_updates_stay_within_limits_and_user_text_is_inert() -> None:
    updates = tuple(_update(n, "<!channel> " + "x" * 5000) for n in range(30))
    weeks = tuple(_week() for _ in range(15))
    view = build_home_view(_view(updates=updates, weeks=weeks, roll_call=()))
    assert validate_view(view) == []
    raw = json.dumps(view)
    assert "<!channel>" not in raw
    assert "…and 20 more in today's thread." in blocks_to_text(view["blocks"])


def test_states_of_todays_briefing() -> None:
    texts = {
        status: blocks_to_text(build_home_view(_view(today=_today(status, reason)))["blocks"])
        for status, reason in (
            ("not_yet", None),
            ("closed", None),
            ("no_meeting", "bank holiday (Christmas Day)"),
            ("opening", None),
            ("late", None),
            ("missed", None),
        )
    }
    assert "The briefing thread opens at 08:30." in texts["not_yet"]
    assert "Today's briefing closed at 10:45" in texts["closed"]
    assert "No meeting today: bank holiday (Christmas Day)." in texts["no_meeting"]
    assert "Call at" not in texts["no_meeting"]
    assert "being opened now" in texts["opening"]  # issue 13: the day's states of /dbm status
    assert "was due to open at 08:30 and has not opened yet" in texts["late"]
    assert "too late for the bot to open it on its own" in texts["missed"]


def test_person_without_a_body_and_without_updates() -> None:
    view = build_home_view(_view(weeks=(), updates=(), guidance=GuidanceState()))
    text = blocks_to_text(view["blocks"])
    assert "You are not mapped to a body yet" in text
    assert "You have posted no updates today" in text
    assert ActionId.GUIDANCE_SHOW in _action_ids(view)


def test_acknowledged_guidance_and_a_notice() -> None:
    state = GuidanceState(datetime(2026, 11, 20, tzinfo=UTC), True, None)
    view = build_home_view(_view(guidance=state, notice="Opened the briefing."))
    text = blocks_to_text(view["blocks"])
    assert "You have confirmed reading the version of Friday 20 November 2026." in text
    assert "Opened the briefing." in text
