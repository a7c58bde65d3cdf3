"""Urgent demands in Block Kit: ages, buttons only where the viewer may act, the morning's
question, the lapse notice and the answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from blocks.demands import (
    PromptView,
    build_lapsed_demands,
    build_lapsed_notice,
    build_open_demands,
    build_renewal_fallback,
    build_renewal_prompt,
    build_renewal_reply,
    raised_text,
)
from blocks.ids import ActionId
from blocks.text import blocks_to_text
from meeting.demands import OpenDemand
from meeting.renewal import Lapse, Renewal, RenewalPrompt, Renewed
from tests.rig.fake_slack import validate_blocks

LONDON = ZoneInfo("Europe/London")


def _demand(n: int, age: int = 4, **more: Any) -> OpenDemand:
    fields: dict[str, Any] = {
        "id": n,
        "body_code": "ERSOU",
        "summary": f"demand {n}",
        "due_at": datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
        "raised_at": datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        "raised_on": date(2026, 11, 23),
        "age_days": age,
        "threats": ("CYBER", "FRAUD"),
        "respond_body_code": "PSNI",
    }
    return OpenDemand(**{**fields, **more})


def _actions(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (e["action_id"], e.get("value", ""))
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]


@pytest.mark.parametrize(
    ("age", "text"),
    [(0, "raised today"), (1, "raised Mon 23/11, 1 day"), (4, "raised Mon 23/11, 4 days")],
)
def test_raised_text(age: int, text: str) -> None:
    assert raised_text(_demand(1, age)) == text


def test_the_list_has_buttons_only_on_the_demands_the_viewer_may_change() -> None:
    demands = [_demand(1), _demand(2), _demand(3)]
    blocks = build_open_demands(demands, LONDON, changeable={2})
    assert validate_blocks(blocks, surface="message") == []
    assert _actions(blocks) == [
        (ActionId.DEMAND_RENEW, "2"),
        (ActionId.DEMAND_MET, "2"),
        (ActionId.DEMAND_WITHDRAW, "2"),
    ]
    text = blocks_to_text(blocks)
    assert "*ERSOU* → *PSNI* · raised Mon 23/11, 4 days · due Sat 28 Nov 12:00 GMT" in text
    assert "CYBER + FRAUD :link: _cross-cutting_" in text


def test_a_viewer_who_may_change_none_is_told_who_can() -> None:
    text = blocks_to_text(build_open_demands([_demand(1)], LONDON, changeable=()))
    assert "Only the body that raised a demand, or a chair, can close it." in text
    assert "no open urgent demands" in blocks_to_text(build_open_demands([], LONDON, changeable=()))


def test_a_long_list_stays_within_a_message() -> None:
    demands = [_demand(n) for n in range(40)]
    blocks = build_open_demands(demands, LONDON, changeable={d.id for d in demands})
    assert validate_blocks(blocks, surface="message") == []
    assert "…and 16 more" in blocks_to_text(blocks)


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (0, "it lapses when today's briefing closes at 11:00"),
        (1, "it lapses at the close of the next briefing"),
        (2, "it lapses at the close of the 2nd briefing from today"),
    ],
)
def test_the_renewal_prompt(remaining: int, text: str) -> None:
    view = PromptView(RenewalPrompt(_demand(7), ("UALICE",), remaining), LONDON, "11:00")
    blocks = build_renewal_prompt(view)
    assert validate_blocks(blocks, surface="message") == []
    assert text in blocks_to_text(blocks)
    assert [a for a, _ in _actions(blocks)] == [
        ActionId.DEMAND_RENEW,
        ActionId.DEMAND_MET,
        ActionId.DEMAND_WITHDRAW,
    ]
    assert "demand 7" not in build_renewal_fallback(view)  # no user text in notifications


def test_the_lapse_notice_says_why_and_what_to_do() -> None:
    text = build_lapsed_notice(Lapse(_demand(3), ("UALICE",)), LONDON, 3)
    assert "lapsed" in text and "last 3 briefings" in text and "reopen" in text
    assert "demand 3 · raised Mon 23/11, 4 days" in text


def test_the_lapsed_list_offers_reopening_to_chairs_only() -> None:
    lapsed = [_demand(1), _demand(2)]
    chair = build_lapsed_demands(lapsed, LONDON, chair=True)
    assert _actions(chair) == [(ActionId.DEMAND_REOPEN, "1"), (ActionId.DEMAND_REOPEN, "2")]
    other = build_lapsed_demands(lapsed, LONDON, chair=False)
    assert _actions(other) == [] and "A chair can reopen" in blocks_to_text(other)


def test_every_renewal_outcome_has_a_clear_answer() -> None:
    for outcome in Renewed:
        for status in ("open", "met", "withdrawn", "lapsed", None):
            text = build_renewal_reply(Renewal(outcome, status))
            assert text.endswith(".") and len(text) > 20
    lapsed = build_renewal_reply(Renewal(Renewed.NOT_OPEN, "lapsed"))
    assert "ask a chair to reopen" in lapsed
