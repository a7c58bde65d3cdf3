"""The private answers to thread replies, as Block Kit: valid, escaped, one action per button."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from blocks.ids import ActionId
from blocks.replies import (
    Confirmation,
    NilNote,
    Offer,
    build_answer,
    build_confirmation,
    build_nil_confirmation,
    confirmation_text,
    kind_of_action,
    recorded_as,
)
from standin import validate_blocks

LONDON = ZoneInfo("Europe/London")
KEY = "reply:C0DBM:1763700000.000200"


def _view(**changes: object) -> Confirmation:
    fields: dict[str, object] = {
        "update_id": 7, "reply_key": KEY, "kind": "event", "body_code": "BTP",
        "threats": ("FIREARMS",), "at": datetime(2026, 11, 22, 22, 40, tzinfo=UTC),
        "zone": LONDON,
    }  # fmt: skip
    fields.update(changes)
    return Confirmation(**fields)  # type: ignore[arg-type]


def _actions(blocks: list[dict[str, object]]) -> list[str]:
    return [
        str(e["action_id"])
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]  # type: ignore[attr-defined]
    ]


def test_recorded_as_says_kind_threats_and_uk_time() -> None:
    assert recorded_as(_view()) == "Significant event · FIREARMS · Sun 22 Nov 22:40 GMT"
    summer = _view(kind="plan", threats=("OIC", "MSHT"), at=datetime(2026, 6, 1, 5, tzinfo=UTC))
    assert recorded_as(summer) == "Operational plan · OIC + MSHT · Mon 1 Jun 06:00 BST"
    assert recorded_as(_view(kind="demand", at=None)).endswith("· no due time")
    assert "due Sun 22 Nov 22:40 GMT" in recorded_as(_view(kind="demand"))
    assert confirmation_text(_view(changed=True)).startswith("Changed: BTP's update is now")


def test_a_confirmation_offers_the_other_kinds_only_when_the_kind_was_worked_out() -> None:
    written = build_confirmation(_view())
    assert _actions(written) == [ActionId.UPDATE_EDIT, ActionId.UPDATE_WITHDRAW]
    worked_out = build_confirmation(_view(inferred=True, notes=("I took this to be <b>",)))
    assert _actions(worked_out)[2:] == [ActionId.REPLY_AS_PLAN, ActionId.REPLY_AS_DEMAND]
    assert "&lt;b&gt;" in json.dumps(worked_out) and "<b>" not in json.dumps(worked_out)
    for blocks in (written, worked_out):
        assert validate_blocks(blocks, surface="message") == []


def test_an_answer_escapes_the_sender_and_offers_choices_and_the_form() -> None:
    blocks = build_answer("Not recorded: `<!here>` is not a threat", Offer(KEY, ("event", "plan")))
    assert "<!here>" not in json.dumps(blocks)
    offered = [ActionId.REPLY_AS_EVENT, ActionId.REPLY_AS_PLAN, ActionId.REPLY_FORM]
    assert _actions(blocks) == offered
    assert validate_blocks(blocks, surface="message") == []
    assert _actions(build_answer("Refused", None)) == []
    long = build_answer("x" * 10_000, Offer(KEY))
    assert validate_blocks(long, surface="message") == []


def test_a_nil_note_says_each_body() -> None:
    note = NilNote(date(2026, 11, 23), (("BTP", "nil"), ("LONDON", "present")))
    blocks = build_nil_confirmation(note)
    text = json.dumps(blocks)
    assert "BTP present, nothing to report" in text and "LONDON stays present" in text
    assert validate_blocks(blocks, surface="message") == []


def test_each_kind_has_its_own_action() -> None:
    assert [kind_of_action(a) for a in ActionId if kind_of_action(a)] == ["event", "plan", "demand"]
    assert kind_of_action(ActionId.UPDATE_EDIT) is None
