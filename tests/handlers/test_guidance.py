"""/dbm guidance, publish, status and the "I have read this" button, end to end."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from blocks.ids import ActionId
from config.settings import CONFIG_DIR
from meeting.roster import body_by_code
from storage.models import GuidanceAck, GuidanceVersion, Member
from tests.conftest import CHAIR, CHANNEL
from tests.rig.fake_slack import validate_blocks
from tests.rig.harness import BotUnderTest

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _versions(bot: BotUnderTest) -> list[GuidanceVersion]:
    with bot.session() as session:
        return list(session.exec(select(GuidanceVersion).order_by(GuidanceVersion.id)))  # type: ignore[arg-type]


def _edited(bot: BotUnderTest, folder: Path, extra: str) -> None:
    """Point the bot at a copy of the guidance with a sentence added (a chair's edit)."""
    target = folder / "guidance.md"
    shutil.copyfile(CONFIG_DIR / "guidance.md", target)
    target.write_text(target.read_text() + f"\n{extra}\n")
    bot.deps.settings = replace(bot.settings, config_dir=folder)


def _ack_button(message: dict[str, Any]) -> dict[str, Any]:
    buttons: list[dict[str, Any]] = [
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ActionId.GUIDANCE_ACK
    ]
    assert len(buttons) == 1
    return buttons[0]


def _map(bot: BotUnderTest, user: str, code: str, removed: bool = False) -> None:
    with bot.session() as session:
        body = body_by_code(session=session, code=code)
        assert body is not None and body.id is not None
        session.add(
            Member(
                slack_user_id=user,
                body_id=body.id,
                added_by=CHAIR,
                added_at=NOW,
                removed_at=NOW if removed else None,
            )
        )


def test_anyone_reads_the_rendered_guidance(bot: BotUnderTest) -> None:
    result = bot.command("guidance", user="UALICE")
    (reply,) = result.replies
    assert reply.args["response_type"] == "ephemeral"
    assert validate_blocks(reply.args["blocks"], surface="message") == []
    headers = [b["text"]["text"] for b in reply.args["blocks"] if b["type"] == "header"]
    assert "What the meeting is for" in headers and "Who to contact" in headers
    assert "*Significant events since the last briefing*" in result.text
    assert "**" not in result.text  # Markdown bold became Slack bold
    assert "<@UCHAIR>" in result.text  # the chairs are named
    assert "have not published the guidance yet, so there is nothing to confirm" in result.text
    assert bot.fake.calls_to("chat.postMessage") == []


def test_publish_posts_and_pins_once(bot: BotUnderTest) -> None:
    result = bot.command("guidance publish", user=CHAIR)
    assert "Published the guidance of Monday 23 November 2026" in result.text
    (message,) = bot.fake.messages(CHANNEL)
    assert bot.fake.pins(CHANNEL) == [message["ts"]]
    (version,) = _versions(bot)
    assert version.message_ts == message["ts"] and len(version.content_hash) == 64
    assert version.published_by == CHAIR and version.published_at == bot.clock()
    assert _ack_button(message)["value"] == str(version.id)

    again = bot.command("guidance publish", user=CHAIR)
    assert "has not changed since it was published" in again.text
    assert len(bot.fake.messages(CHANNEL)) == 1 and bot.fake.pins(CHANNEL) == [message["ts"]]
    assert len(bot.fake.calls_to("pins.add")) == 1 and len(_versions(bot)) == 1


def test_an_edited_guidance_replaces_the_pin(bot: BotUnderTest, tmp_path: Path) -> None:
    bot.command("guidance publish", user=CHAIR)
    _edited(bot, tmp_path, "Calls start promptly.")
    result = bot.command("guidance publish", user=CHAIR)
    assert "The previous version was unpinned." in result.text
    old, new = bot.fake.messages(CHANNEL)
    assert bot.fake.pins(CHANNEL) == [new["ts"]]
    first, second = _versions(bot)
    assert (first.message_ts, second.message_ts) == (old["ts"], new["ts"])
    assert first.content_hash != second.content_hash
    assert "Calls start promptly." in str(new["blocks"])


def test_only_chairs_publish_or_see_the_status(bot: BotUnderTest) -> None:
    for sub in ("publish", "status"):
        result = bot.command(f"guidance {sub}", user="UALICE")
        assert f"Only the meeting's chairs can use `/dbm guidance {sub}`" in result.text
    assert bot.fake.calls_to("chat.postMessage") == [] and _versions(bot) == []


def test_an_unknown_guidance_subcommand_is_explained(bot: BotUnderTest) -> None:
    result = bot.command("guidance pubish", user=CHAIR)
    assert "`/dbm guidance pubish` is not something I know" in result.text
    assert _versions(bot) == []


def test_publish_failure_records_nothing(bot: BotUnderTest) -> None:
    bot.fake.fail("chat.postMessage", "not_in_channel")
    result = bot.command("guidance publish", user=CHAIR)
    assert "Slack said `not_in_channel`" in result.text and "Nothing was published" in result.text
    assert _versions(bot) == [] and bot.fake.pins(CHANNEL) == []
    assert "Published" in bot.command("guidance publish", user=CHAIR).text


def test_a_broken_guidance_file_is_reported_and_nothing_published(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    (tmp_path / "guidance.md").write_text("# Guidance\nOpens at {opening_time}\n")
    bot.deps.settings = replace(bot.settings, config_dir=tmp_path)
    result = bot.command("guidance publish", user=CHAIR)
    assert "Nothing was published" in result.text and "unknown placeholder" in result.text
    assert "file has a problem" in bot.command("guidance", user="UALICE").text
    assert _versions(bot) == [] and bot.fake.calls_to("chat.postMessage") == []


def test_the_read_button_records_the_person_and_version_once(bot: BotUnderTest) -> None:
    bot.command("guidance publish", user=CHAIR)
    (message,) = bot.fake.messages(CHANNEL)
    value = _ack_button(message)["value"]
    first = bot.press(
        ActionId.GUIDANCE_ACK, user="UALICE", value=value, channel=CHANNEL, message_ts=message["ts"]
    )
    second = bot.press(
        ActionId.GUIDANCE_ACK, user="UALICE", value=value, channel=CHANNEL, message_ts=message["ts"]
    )
    assert "Thank you: recorded" in first.text
    assert "already confirmed" in second.text
    with bot.session() as session:
        (ack,) = session.exec(select(GuidanceAck))
    assert (ack.slack_user_id, str(ack.version_id)) == ("UALICE", value)
    assert bot.fake.published_views("UALICE")  # the App Home follows


@pytest.mark.parametrize("value", ["999", "abc", ""])
def test_a_forged_read_button_records_nothing(bot: BotUnderTest, value: str) -> None:
    bot.command("guidance publish", user=CHAIR)
    (message,) = bot.fake.messages(CHANNEL)
    result = bot.press(
        ActionId.GUIDANCE_ACK, user="UALICE", value=value, channel=CHANNEL, message_ts=message["ts"]
    )
    assert "not known, so nothing was recorded" in result.text
    with bot.session() as session:
        assert session.exec(select(GuidanceAck)).all() == []


def test_reading_an_old_version_points_to_the_new_one(bot: BotUnderTest, tmp_path: Path) -> None:
    bot.command("guidance publish", user=CHAIR)
    (old,) = bot.fake.messages(CHANNEL)
    _edited(bot, tmp_path, "New rule.")
    bot.command("guidance publish", user=CHAIR)
    result = bot.press(
        ActionId.GUIDANCE_ACK,
        user="UBOB",
        value=_ack_button(old)["value"],
        channel=CHANNEL,
        message_ts=old["ts"],
    )
    assert "A newer version has been published" in result.text


def test_status_lists_exactly_who_has_not_acknowledged(bot: BotUnderTest) -> None:
    assert "No guidance has been published yet" in bot.command("guidance status", user=CHAIR).text
    for user, code in (("UALICE", "BTP"), ("UBOB", "BTP"), ("UCAROL", "COLP")):
        _map(bot, user, code)
    _map(bot, "UGONE", "BTP", removed=True)
    bot.command("guidance publish", user=CHAIR)
    (message,) = bot.fake.messages(CHANNEL)
    bot.press(
        ActionId.GUIDANCE_ACK,
        user="UALICE",
        value=_ack_button(message)["value"],
        channel=CHANNEL,
        message_ts=message["ts"],
    )
    (reply,) = bot.command("guidance status", user=CHAIR).replies
    lines = [b["text"]["text"] for b in reply.args["blocks"]]
    assert lines[0].startswith("*2 members of 2 bodies have not confirmed")
    assert lines[1:] == [
        "*BTP* (British Transport Police): <@UBOB>",
        "*COLP* (City of London Police): <@UCAROL>",
    ]


def test_the_briefing_header_links_to_the_published_guidance(bot: BotUnderTest) -> None:
    bot.command("guidance publish", user=CHAIR)
    (guidance,) = bot.fake.messages(CHANNEL)
    bot.command("open", user=CHAIR)
    header = bot.fake.messages(CHANNEL)[-1]
    link = f"p{guidance['ts'].replace('.', '')}"
    assert f"{link}|guidance for participants>" in str(header["blocks"])


def test_help_mentions_guidance_to_everyone(bot: BotUnderTest) -> None:
    assert "/dbm guidance [publish | status]" in bot.command("help", user="UALICE").text


def test_a_publish_that_fails_part_way_leaves_no_parts_behind(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    long = "\n\n".join(f"## Point {n}\n\nArrive on time." for n in range(40))  # 80 blocks
    _edited(bot, tmp_path, long)
    bot.fake.fail("chat.postMessage", "msg_too_long", after=1)  # the second part fails
    failed = bot.command("guidance publish", user=CHAIR)
    assert "Published" not in failed.text, failed.text
    assert bot.fake.messages(CHANNEL) == [] and bot.fake.pins(CHANNEL) == []
    assert len(bot.fake.calls_to("chat.delete")) == 1  # the first part, posted before the failure
    assert not [v for v in _versions(bot) if v.message_ts]
    again = bot.command("guidance publish", user=CHAIR)
    assert "Published the guidance" in again.text
    parts = bot.fake.messages(CHANNEL)
    assert len(parts) >= 2 and bot.fake.pins(CHANNEL) == [parts[0]["ts"]]
