"""The guidance in Block Kit: a small Markdown renderer, message splitting, the read button."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from blocks.ids import ActionId, BlockId
from blocks.text import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    header,
    section,
    truncate,
)
from meeting.timefmt import fmt_day

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_CODE = re.compile(r"(`[^`\n]+`)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_STRONG = "\u0001"  # stands in for Slack's bold marker while italics are converted


def _inline_part(text: str) -> str:
    text = _LINK.sub(lambda m: f"<{m[2]}|{m[1]}>", escape(text))
    text = _BOLD.sub(lambda m: f"{_STRONG}{m[2]}{_STRONG}", text)
    text = _ITALIC.sub(lambda m: f"_{m[1]}_", text)
    return text.replace(_STRONG, "*")


def inline(text: str) -> str:
    """Markdown inline marks to Slack mrkdwn: **bold** to *bold*, *italic* to _italic_."""
    parts = _CODE.split(text)
    return "".join(escape(p) if p.startswith("`") else _inline_part(p) for p in parts)


def plain_inline(text: str) -> str:
    """Markdown inline marks removed, for plain_text such as headers."""
    text = _LINK.sub(lambda m: m[1], text)
    return re.sub(r"\*\*|__|`|(?<!\w)[*_]|[*_](?!\w)", "", text).strip()


def chunk_lines(lines: list[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Join lines with newlines into texts of at most `limit` characters (long lines are cut at
    spaces)."""
    pieces: list[str] = []
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit) if " " in line[:limit] else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        pieces.append(line)
    texts: list[str] = []
    for piece in pieces:
        if texts and len(texts[-1]) + 1 + len(piece) <= limit:
            texts[-1] += "\n" + piece
        else:
            texts.append(piece)
    return texts


@dataclass
class _Renderer:
    blocks: list[Block] = field(default_factory=list)
    paragraph: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    quote: list[str] = field(default_factory=list)

    def flush(self) -> None:
        if self.paragraph:
            self._sections([inline(" ".join(self.paragraph))])
        if self.items:
            self._sections(self.items)
        if self.quote:
            self._sections(["> " + inline(line) if line else ">" for line in self.quote])
        self.paragraph, self.items, self.quote = [], [], []

    def _sections(self, lines: list[str]) -> None:
        self.blocks.extend(section(text) for text in chunk_lines(lines))

    def line(self, raw: str) -> None:
        if not raw.strip():
            self.flush()
        elif heading := _HEADING.match(raw):
            self.flush()
            title = plain_inline(heading[2])
            if len(heading[1]) <= 2 and len(title) <= MAX_HEADER_TEXT:
                self.blocks.append(header(title))
            else:
                self.blocks.append(section(f"*{truncate(escape(title), MAX_SECTION_TEXT - 2)}*"))
        elif _RULE.match(raw):
            self.flush()
            self.blocks.append(divider())
        else:
            self._text(raw)

    def _text(self, raw: str) -> None:
        bullet, numbered, quote = _BULLET.match(raw), _NUMBERED.match(raw), _QUOTE.match(raw)
        if bullet or numbered:
            if self.paragraph or self.quote:
                self.flush()
            if bullet:
                mark, (indent, text) = "•", bullet.groups()
            else:
                assert numbered is not None
                indent, number, text = numbered.groups()
                mark = f"{number}."
            nested = "\u2003" * (len(indent.expandtabs(4)) // 2)
            self.items.append(f"{nested}{'◦' if nested and bullet else mark} {inline(text)}")
        elif quote:
            if self.paragraph or self.items:
                self.flush()
            self.quote.append(quote[1])
        elif self.items and raw[:1].isspace():
            self.items[-1] += " " + inline(raw.strip())
        else:
            if self.items or self.quote:
                self.flush()
            self.paragraph.append(raw.strip())


def _merge_sections(blocks: list[Block]) -> list[Block]:
    """Adjacent sections merged while they fit, so a long text needs fewer blocks."""
    merged: list[Block] = []
    for block in blocks:
        last = merged[-1] if merged else None
        if (
            last is not None
            and block["type"] == last["type"] == "section"
            and len(last["text"]["text"]) + 2 + len(block["text"]["text"]) <= MAX_SECTION_TEXT
        ):
            last["text"]["text"] += "\n\n" + block["text"]["text"]
        else:
            merged.append(block)
    return merged


def render_markdown(markdown: str) -> list[Block]:
    """Markdown (headings, lists, quotes, rules, bold, italic, links) as Block Kit blocks."""
    renderer = _Renderer()
    for raw in markdown.splitlines():
        renderer.line(raw)
    renderer.flush()
    return _merge_sections(renderer.blocks)


def split_messages(
    blocks: list[Block], *, max_blocks: int = MAX_MESSAGE_BLOCKS
) -> list[list[Block]]:
    """Blocks shared out into messages of at most `max_blocks`, never ending on a heading."""
    messages: list[list[Block]] = [[]]
    for block in blocks:
        current = messages[-1]
        full = len(current) >= max_blocks
        orphan = block["type"] == "header" and len(current) >= max_blocks - 1
        if current and (full or orphan):
            messages.append([])
        messages[-1].append(block)
    return [m for m in messages if m]


@dataclass(frozen=True)
class GuidanceFooter:
    """What follows the guidance: who chairs, which version it is, and the read button."""

    zone: ZoneInfo
    chairs: tuple[str, ...] = ()
    version_id: int | None = None
    published_at: datetime | None = None
    note: str | None = None


def _footer_blocks(footer: GuidanceFooter) -> list[Block]:
    blocks: list[Block] = [divider()]
    if footer.chairs:
        names = ", ".join(f"<@{user}>" for user in footer.chairs[:20])
        blocks.append(context(f"Chairs of the meeting: {names}"))
    if footer.version_id is not None and footer.published_at is not None:
        when = fmt_day(footer.published_at.astimezone(footer.zone).date())
        blocks.append(context(f"Version published on {when}. Please confirm you have read it."))
        blocks.append(
            actions(
                button(
                    "I have read this",
                    ActionId.GUIDANCE_ACK,
                    value=str(footer.version_id),
                    style="primary",
                ),
                block_id=BlockId.GUIDANCE_ACTIONS,
            )
        )
    elif footer.note:
        blocks.append(context(footer.note))
    return blocks


def build_guidance_messages(
    markdown: str, footer: GuidanceFooter, *, intro: str | None = None
) -> list[list[Block]]:
    """The guidance as one or more messages within Slack's limits, the read button last."""
    blocks = ([section(intro)] if intro else []) + render_markdown(markdown)
    return split_messages(blocks + _footer_blocks(footer))


def build_guidance_fallback(part: int, total: int) -> str:
    """Notification text of one guidance message."""
    suffix = f" (part {part} of {total})" if total > 1 else ""
    return f"Guidance for participants in the Daily Briefing Meeting{suffix}"


def build_ack_reply(*, recorded: bool, published_at: datetime, zone: ZoneInfo, newer: bool) -> str:
    """Reply to "I have read this"."""
    day = fmt_day(published_at.astimezone(zone).date())
    text = (
        f"Thank you: recorded that you have read the guidance published on {day}."
        if recorded
        else f"You had already confirmed reading the guidance published on {day}; nothing changed."
    )
    if newer:
        text += " A newer version has been published since: `/dbm guidance` shows it."
    return text


def build_published(day: str, link: str | None, unpinned: bool) -> str:
    """Reply when a chair published a new version."""
    where = f" (<{link}|see it>)" if link else ""
    previous = " The previous version was unpinned." if unpinned else ""
    return f"Published the guidance of {day} in the channel and pinned it{where}.{previous}"


def build_unchanged(day: str, link: str | None) -> str:
    """Reply when the guidance file has not changed since the current version."""
    where = f": <{link}|the pinned message>" if link else ""
    return (
        f"The guidance has not changed since it was published on {day}{where}. "
        "Nothing was posted or pinned. Edit config/guidance.md first, then publish."
    )


def build_status(day: str, groups: Sequence[tuple[str, str, Sequence[str]]]) -> list[Block]:
    """Who has not acknowledged the current version, by body."""
    if not groups:
        return [section(f"Every current member has confirmed reading the guidance of {day}.")]
    people = sum(len(users) for _, _, users in groups)
    blocks = [
        section(
            f"*{people} member{'s' if people != 1 else ''} of {len(groups)} "
            f"bod{'ies' if len(groups) != 1 else 'y'} have not confirmed reading the guidance "
            f"of {day}*"
        )
    ]
    shown = MAX_MESSAGE_BLOCKS - 2
    for code, name, users in groups[:shown]:
        mentions = ", ".join(f"<@{user}>" for user in users)
        blocks.append(section(truncate(f"*{code}* ({escape(name)}): {mentions}", MAX_SECTION_TEXT)))
    if len(groups) > shown:
        blocks.append(context(f"…and {len(groups) - shown} more bodies."))
    return blocks
