"""deliver_once: the guidance reaches a person by direct message exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from blocks.ids import ActionId
from service.guidance import deliver_once
from storage.models import GuidanceDelivery, GuidanceVersion
from tests.conftest import CHAIR
from tests.rig.fake_slack import validate_blocks
from tests.rig.harness import BotUnderTest

NOW = datetime(2026, 11, 23, 8, 45, tzinfo=UTC)


def _deliver(bot: BotUnderTest, user: str = "UALICE", reason: str = "new_member") -> bool:
    return bot.run_job(
        lambda deps, client: deliver_once(deps, client, user_id=user, reason=reason), at=NOW
    )


def _dms(bot: BotUnderTest, user: str) -> list[dict[str, Any]]:
    return [c.args for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == user]


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_new_member_gets_the_guidance_once(bot: BotUnderTest) -> None:
    assert _deliver(bot) is True
    assert _deliver(bot) is False
    assert _deliver(bot, reason="first_post") is False
    (dm,) = _dms(bot, "UALICE")
    assert validate_blocks(dm["blocks"], surface="message") == []
    assert "You have been added as a member" in dm["blocks"][0]["text"]["text"]
    assert any("What the meeting is for" in str(b) for b in dm["blocks"])
    with bot.session() as session:
        (row,) = session.exec(select(GuidanceDelivery))
    assert (row.slack_user_id, row.reason) == ("UALICE", "new_member")


def test_each_person_gets_their_own_copy(bot: BotUnderTest) -> None:
    assert _deliver(bot, "UALICE") and _deliver(bot, "UBOB", "first_post")
    assert len(_dms(bot, "UALICE")) == len(_dms(bot, "UBOB")) == 1
    assert "first post" in _dms(bot, "UBOB")[0]["blocks"][0]["text"]["text"]


def test_before_publication_there_is_nothing_to_confirm(bot: BotUnderTest) -> None:
    _deliver(bot)
    (dm,) = _dms(bot, "UALICE")
    assert _buttons(dm["blocks"]) == []
    assert "not published the guidance yet, so there is nothing to confirm" in str(dm["blocks"])


def test_after_publication_the_dm_has_the_read_button(bot: BotUnderTest) -> None:
    bot.command("guidance publish", user=CHAIR)
    _deliver(bot)
    (dm,) = _dms(bot, "UALICE")
    with bot.session() as session:
        (version,) = session.exec(select(GuidanceVersion))
    (button,) = _buttons(dm["blocks"])
    assert button["action_id"] == ActionId.GUIDANCE_ACK and button["value"] == str(version.id)


def test_a_failed_dm_is_tried_again_next_time(bot: BotUnderTest) -> None:
    bot.fake.fail("chat.postMessage", "ratelimited")
    assert _deliver(bot) is False
    with bot.session() as session:
        assert session.exec(select(GuidanceDelivery)).all() == []
    assert _deliver(bot) is True
    assert len(_dms(bot, "UALICE")) == 2  # the failed attempt, then the one that arrived


def test_a_broken_guidance_file_sends_nothing_and_claims_nothing(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    from dataclasses import replace

    (tmp_path / "guidance.md").write_text("Hello {nobody}")
    bot.deps.settings = replace(bot.settings, config_dir=tmp_path)
    assert _deliver(bot) is False
    assert _dms(bot, "UALICE") == []
    with bot.session() as session:
        assert session.exec(select(GuidanceDelivery)).all() == []


def test_concurrent_deliveries_send_one_dm(bot: BotUnderTest) -> None:
    barrier = threading.Barrier(4)
    results: list[bool] = []

    def run() -> None:
        barrier.wait()
        results.append(deliver_once(bot.deps, bot.client, user_id="UCAROL", reason="first_post"))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == [False, False, False, True]
    assert len(_dms(bot, "UCAROL")) == 1


def test_mapping_a_person_sends_the_guidance_once(bot: BotUnderTest) -> None:
    """Through /dbm member, as a chair does it: a second mapping sends nothing more."""
    assert "now speaks for *BTP*" in bot.command("member <@UALICE|alice> BTP", user=CHAIR).text
    assert "now speaks for *COLP*" in bot.command("member <@UALICE|alice> COLP", user=CHAIR).text
    (dm,) = _dms(bot, "UALICE")
    assert "You have been added as a member" in dm["blocks"][0]["text"]["text"]


def test_posting_in_the_thread_sends_the_guidance_once(bot: BotUnderTest) -> None:
    """Through the Events API: the first reply in a briefing thread, not every reply."""
    from standin import payloads

    bot.command("open", user=CHAIR)
    (header,) = bot.fake.messages("C0DBM")
    for n in range(3):
        ts = bot.fake.add_message("C0DBM", user="UBOB", text=f"hello {n}", thread_ts=header["ts"])
        event = payloads.message_event(
            user="UBOB", channel="C0DBM", text=f"hello {n}", ts=ts, thread_ts=header["ts"]
        )
        bot.event(event)
    (dm,) = _dms(bot, "UBOB")
    assert "first post" in dm["blocks"][0]["text"]["text"]


def test_a_welcome_asks_for_a_confirmation_only_when_it_offers_one(bot: BotUnderTest) -> None:
    """Through /dbm member before and after the chairs publish (issue 13 item 5)."""
    bot.command("member <@UALICE|alice> BTP", user=CHAIR)
    (before,) = _dms(bot, "UALICE")
    assert "press *I have read this*" not in before["blocks"][0]["text"]["text"]
    assert _buttons(before["blocks"]) == [] and "nothing to confirm" in str(before["blocks"])
    bot.command("guidance publish", user=CHAIR)
    bot.command("member <@UBOB|bob> MPS", user=CHAIR)
    (after,) = _dms(bot, "UBOB")
    assert "press *I have read this* at the end" in after["blocks"][0]["text"]["text"]
    assert [b["action_id"] for b in _buttons(after["blocks"])] == [ActionId.GUIDANCE_ACK]
    assert "nothing to confirm" not in str(after["blocks"])
