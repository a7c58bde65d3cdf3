"""What a newcomer is told matches what they can do: asked to confirm only when a button to
confirm is there, and never told there is nothing to confirm beside one."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from blocks.ids import ActionId
from blocks.onboarding import build_welcome_messages
from blocks.text import blocks_to_text
from meeting.guidance import GuidanceText, content_hash
from meeting.onboarding import Ask, Onboarding, onboarding_for
from storage.models import GuidanceVersion
from tests.rig.fake_slack import validate_blocks

LONDON = ZoneInfo("Europe/London")
TEXT = "# Guidance\n\nBring your significant events.\n"
CURRENT = GuidanceText(TEXT, content_hash(TEXT))
PUBLISHED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _version(digest: str) -> GuidanceVersion:
    return GuidanceVersion(
        id=4, content_hash=digest, published_at=PUBLISHED, published_by="UCHAIR", message_ts="1.2"
    )


def test_the_decision() -> None:
    assert onboarding_for(CURRENT, None) == Onboarding(Ask.NOTHING_PUBLISHED)
    assert onboarding_for(CURRENT, _version("0" * 64)) == Onboarding(Ask.CHANGED)
    assert onboarding_for(CURRENT, _version(CURRENT.content_hash)) == Onboarding(
        Ask.CONFIRM, 4, PUBLISHED
    )


@pytest.mark.parametrize("reason", ["new_member", "first_post", None])
@pytest.mark.parametrize("version", [None, "changed", "same"])
def test_words_and_buttons_agree(reason: str | None, version: str | None) -> None:
    found = (
        None
        if version is None
        else _version(CURRENT.content_hash if version == "same" else "0" * 64)
    )
    decision = onboarding_for(CURRENT, found)
    messages = build_welcome_messages(TEXT, decision, zone=LONDON, reason=reason)
    blocks = [block for message in messages for block in message]
    assert all(validate_blocks(m, surface="message") == [] for m in messages)
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    text = blocks_to_text(blocks)
    can_confirm = buttons == [ActionId.GUIDANCE_ACK]
    assert can_confirm is (version == "same")
    asked = "press *I have read this*" in text or "Please confirm you have read it" in text
    assert asked is can_confirm
    assert ("nothing to confirm" in text) is (not can_confirm)
    if reason is not None:
        assert text.startswith(("Welcome", "Thank you"))
