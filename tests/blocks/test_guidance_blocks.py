"""The Markdown renderer and the guidance messages, without mocks."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from blocks.guidance import (
    GuidanceFooter,
    build_ack_reply,
    build_guidance_messages,
    build_status,
    chunk_lines,
    inline,
    plain_inline,
    render_markdown,
    split_messages,
)
from blocks.ids import ActionId, BlockId
from blocks.text import blocks_to_text
from tests.rig.fake_slack import validate_blocks

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("**bold**", "*bold*"),
        ("__bold__", "*bold*"),
        ("*italic*", "_italic_"),
        ("_italic_", "_italic_"),
        ("a **bold** and *italic* word", "a *bold* and _italic_ word"),
        ("`EVENT | firearms`", "`EVENT | firearms`"),
        ("`**not bold**`", "`**not bold**`"),
        (
            "[the docs](https://example.org/a?b=1&c=2)",
            "<https://example.org/a?b=1&amp;c=2|the docs>",
        ),
        ("<!channel> and <@U123>", "&lt;!channel&gt; and &lt;@U123&gt;"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
    ],
)
def test_inline_marks_become_slack_mrkdwn(markdown: str, mrkdwn: str) -> None:
    assert inline(markdown) == mrkdwn


def test_at_channel_is_made_inert() -> None:
    assert "@channel" not in inline("tell @channel now")


def test_plain_inline_strips_marks_for_headers() -> None:
    assert plain_inline("**Handling**: _OFFICIAL_ `only`") == "Handling: OFFICIAL only"
    assert plain_inline("[Who](https://x.org) to contact") == "Who to contact"


def test_headings_become_header_blocks_or_bold_sections() -> None:
    blocks = render_markdown("# Title\n\n## Part **one**\n\n### Sub part\n\ntext")
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Title", "emoji": True},
    }
    assert blocks[1]["text"]["text"] == "Part one"
    assert blocks[2]["type"] == "section"
    assert blocks[2]["text"]["text"] == "*Sub part*\n\ntext"


def test_a_heading_too_long_for_a_header_block_is_a_bold_section() -> None:
    (block,) = render_markdown("## " + "word " * 40)
    assert block["type"] == "section" and block["text"]["text"].startswith("*word")


def test_lists_paragraphs_quotes_and_rules() -> None:
    markdown = (
        "First line\nsame paragraph.\n\n"
        "- one\n- **two**\n  continued\n  - nested\n\n"
        "1. first\n2. second\n\n"
        "> quoted *words*\n\n---\n\nlast"
    )
    blocks = render_markdown(markdown)
    kinds = [b["type"] for b in blocks]
    assert kinds == ["section", "divider", "section"]
    text = blocks[0]["text"]["text"]
    assert text.split("\n\n") == [
        "First line same paragraph.",
        "• one\n• *two* continued\n\u2003◦ nested",
        "1. first\n2. second",
        "> quoted _words_",
    ]
    assert blocks[2]["text"]["text"] == "last"


def test_a_paragraph_right_after_a_list_is_not_part_of_it() -> None:
    (block,) = render_markdown("- item\nNot an item.")
    assert block["text"]["text"] == "• item\n\nNot an item."


def test_long_text_is_split_into_sections_within_the_limit_and_nothing_is_lost() -> None:
    words = [f"w{n}" for n in range(2500)]
    blocks = render_markdown(
        " ".join(words) + "\n\n" + "\n".join(f"- item {n}" for n in range(400))
    )
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    text = " ".join(b["text"]["text"] for b in blocks)
    assert all(word in text.split() for word in words)
    assert all(f"• item {n}" in text for n in range(400))
    assert not validate_blocks(blocks, surface="home")


def test_chunk_lines_cuts_a_line_without_spaces() -> None:
    chunks = chunk_lines(["x" * 7000], limit=3000)
    assert [len(c) for c in chunks] == [3000, 3000, 1000]


def test_split_messages_keeps_each_within_slacks_block_limit_and_never_ends_on_a_heading() -> None:
    markdown = "\n\n".join(f"## Heading {n}\n\n---\n\npara {n}" for n in range(60))
    footer = GuidanceFooter(
        zone=LONDON, version_id=3, published_at=datetime(2026, 11, 23, tzinfo=UTC)
    )
    messages = build_guidance_messages(markdown, footer)
    assert len(messages) > 2
    for blocks in messages:
        assert len(blocks) <= 50
        assert blocks[-1]["type"] != "header"
        assert validate_blocks(blocks, surface="message") == []
    text = "\n".join(blocks_to_text(m) for m in messages)
    assert all(f"para {n}" in text for n in range(60))


def test_split_messages_of_nothing_is_no_message() -> None:
    assert split_messages([]) == []


def test_footer_has_the_read_button_with_the_version_id() -> None:
    footer = GuidanceFooter(
        zone=LONDON,
        chairs=("UCHAIR",),
        version_id=7,
        published_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
    )
    (blocks,) = build_guidance_messages("# Guidance\n\nRead me.", footer, intro="Welcome.")
    assert blocks[0]["text"]["text"] == "Welcome."
    actions = blocks[-1]
    assert actions["block_id"] == BlockId.GUIDANCE_ACTIONS
    (button,) = actions["elements"]
    assert button["action_id"] == ActionId.GUIDANCE_ACK and button["value"] == "7"
    assert button["text"]["text"] == "I have read this"
    text = blocks_to_text(blocks)
    assert "<@UCHAIR>" in text and "Monday 23 November 2026" in text


def test_unpublished_text_has_a_note_and_no_button() -> None:
    footer = GuidanceFooter(zone=LONDON, note="Not published yet.")
    (blocks,) = build_guidance_messages("Read me.", footer)
    assert all(b["type"] != "actions" for b in blocks)
    assert "Not published yet." in blocks_to_text(blocks)


def test_ack_replies() -> None:
    at = datetime(2026, 11, 23, 9, tzinfo=UTC)
    first = build_ack_reply(recorded=True, published_at=at, zone=LONDON, newer=False)
    again = build_ack_reply(recorded=False, published_at=at, zone=LONDON, newer=True)
    assert first.startswith("Thank you") and "23 November 2026" in first
    assert "already" in again and "newer version" in again


def test_status_lists_bodies_and_people_within_limits() -> None:
    groups = [(f"B{n}", f"Body <{n}>", ("U1", "U2")) for n in range(80)]
    blocks = build_status("Monday 23 November 2026", groups)
    assert validate_blocks(blocks, surface="message") == []
    text = blocks_to_text(blocks)
    assert "160 members of 80 bodies" in text
    assert "*B0* (Body &lt;0&gt;): <@U1>, <@U2>" in text
    assert "…and 32 more bodies." in text


def test_status_when_everyone_has_read_it() -> None:
    (block,) = build_status("Monday 23 November 2026", [])
    assert "Every current member" in block["text"]["text"]
