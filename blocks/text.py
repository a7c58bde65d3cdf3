"""Safe echo of user text, Slack's size limits, and small Block Kit element helpers."""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_FALLBACK_TEXT = 3000

_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no pings (@channel, <@U..>, <!subteam>), no links."""
    cleaned = _INVISIBLE.sub("", text)
    cleaned = cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A bare @channel/@here/@everyone is not a ping when sent by the API, but break it anyway
    # with a zero-width joiner so a copy-paste by a person cannot ping either.
    return re.sub(r"@(channel|here|everyone)\b", "@\u2060\\1", cleaned, flags=re.IGNORECASE)


def plain(text: str) -> str:
    """User text for plain_text fields: control and direction characters removed."""
    return _INVISIBLE.sub("", text)


def truncate(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}


def plain_text(text: str, *, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    """A plain_text text object."""
    return {"type": "plain_text", "text": truncate(plain(text), limit), "emoji": True}


def header(text: str, *, block_id: str | None = None) -> Block:
    """A header block."""
    block: Block = {"type": "header", "text": plain_text(text, limit=MAX_HEADER_TEXT)}
    if block_id:
        block["block_id"] = block_id
    return block


def section(text: str, *, block_id: str | None = None) -> Block:
    """A section block of mrkdwn text."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    """A context block of mrkdwn texts (at most 10)."""
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:10]]}


def divider() -> Block:
    """A divider block."""
    return {"type": "divider"}


def button(
    text: str, action_id: str, *, value: str = "", style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """A button element."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain_text(text, limit=MAX_BUTTON_TEXT),
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    """An actions block (at most 25 elements)."""
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id:
        block["block_id"] = block_id
    return block


def blocks_to_text(blocks: list[Block]) -> str:
    """A plain rendering of blocks, for notification fallback text and transcripts."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("header", "section") and "text" in block:
            lines.append(block["text"]["text"])
        for field in block.get("fields", []):
            lines.append(field["text"])
        if kind == "context":
            lines.append(" · ".join(e.get("text", "") for e in block["elements"]))
        if kind == "actions":
            labels = [e["text"]["text"] for e in block["elements"] if "text" in e]
            lines.append(" ".join(f"[{label}]" for label in labels))
        if kind == "divider":
            lines.append("---")
    return "\n".join(lines)
