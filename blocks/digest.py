"""The digest as Slack messages: split into parts within Slack's limits, never dropping items.

A message holds at most 50 blocks and a section at most 3000 characters, so items are packed
into sections and sections into parts; a long digest becomes several messages in the thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from blocks.demands import lapsed_lines
from blocks.text import Block, context, escape, header, section, truncate
from blocks.updates import threat_text
from meeting.digest import Digest
from meeting.timefmt import fmt_day, fmt_local
from meeting.update_view import UpdateView

SECTION_BUDGET = 2900
BLOCKS_PER_PART = 45
MAX_ITEM_SUMMARY = 1800


@dataclass(frozen=True)
class Line:
    """A line of the digest; `heading` starts a new section."""

    text: str
    heading: bool = False


def _inline(text: str) -> str:
    """User text on one line, inert: no pings, no code fences swallowing what follows."""
    flat = " ".join(text.split()).replace("`", "\u02cb")
    return escape(truncate(flat, MAX_ITEM_SUMMARY))


def _notes(item: UpdateView) -> str:
    notes = []
    if item.marking != "OFFICIAL":
        notes.append(f"_{item.marking}_")
    if item.late:
        notes.append(":hourglass_flowing_sand: _late_")
    elif item.after_order:
        notes.append(":clock3: _after the running order_")
    return (" · " + " · ".join(notes)) if notes else ""


def item_line(item: UpdateView, zone: ZoneInfo, *, threats: bool = True) -> str:
    """An event or plan as a bullet: body, time, threats, place, notes; the summary below."""
    parts = [f"*{item.body_code}*"]
    if item.occurs_at is not None:
        parts.append(fmt_local(item.occurs_at, zone))
    if threats or item.cross_cutting:
        parts.append(threat_text(item.threats))
    if item.location:
        parts.append(_inline(item.location))
    return "• " + " · ".join(parts) + _notes(item) + "\n    " + _inline(item.summary)


def demand_item_line(item: UpdateView, zone: ZoneInfo) -> str:
    """An urgent demand as a bullet: status, body, who is asked, due time; the summary below."""
    status = (item.demand_status or "open").upper()
    asked = f" → *{item.respond_body_code}*" if item.respond_body_code else ""
    due = f" · due {fmt_local(item.due_at, zone)}" if item.due_at else ""
    head = f"• *{status}* · *{item.body_code}*{asked}{due} · {threat_text(item.threats)}"
    return head + _notes(item) + "\n    " + _inline(item.summary)


def digest_lines(digest: Digest, zone: ZoneInfo) -> list[Line]:
    """The digest as lines: demands, events by threat, plans, counts per body."""
    lines = [Line(f":rotating_light: *Urgent demands ({len(digest.demands)})*", heading=True)]
    lines += [Line(demand_item_line(item, zone)) for item in digest.demands] or [Line("_None._")]
    if digest.lapsed:
        title = f":hourglass: *Carried demands that lapsed at this close ({len(digest.lapsed)})*"
        lines.append(Line(title, heading=True))
        lines += [Line(text) for text in lapsed_lines(digest.lapsed, zone)]
    count = sum(len(g.items) for g in digest.events)
    lines.append(Line(f":newspaper: *Significant events ({count})*", heading=True))
    for group in digest.events:
        star = " :star: _national priority_" if group.priority else ""
        lines.append(Line(f"*{group.code}: {escape(group.name)}* ({len(group.items)}){star}"))
        lines += [Line(item_line(item, zone, threats=False)) for item in group.items]
    if not digest.events:
        lines.append(Line("_None._"))
    lines.append(Line(f":calendar: *Operational plans ({len(digest.plans)})*", heading=True))
    lines += [Line(item_line(item, zone)) for item in digest.plans] or [Line("_None._")]
    counts = " · ".join(f"{code} {n}" for code, n in digest.counts) or "none"
    lines.append(Line(f"*Updates per body:* {counts}", heading=True))
    return lines


def pack_sections(lines: list[Line]) -> list[Block]:
    """Pack lines into sections of at most SECTION_BUDGET characters."""
    sections: list[Block] = []
    current: list[str] = []
    for line in lines:
        text = truncate(line.text, SECTION_BUDGET)
        size = sum(len(t) + 1 for t in current) + len(text)
        if current and (line.heading or size > SECTION_BUDGET):
            sections.append(section("\n".join(current)))
            current = []
        current.append(text)
    if current:
        sections.append(section("\n".join(current)))
    return sections


def digest_title(digest: Digest) -> str:
    """The digest's header line."""
    return f"Digest: briefing of {fmt_day(digest.meeting_date)}"


def _summary(digest: Digest) -> str:
    bodies = len(digest.counts)
    text = f"{digest.total} updates from {bodies} bodies · {digest.cross_cutting} cross-cutting"
    text += f" · {digest.late} late" if digest.late else ""
    return text + (f" · {digest.after_order} after the running order" if digest.after_order else "")


def split_parts(title: str, summary: str, lines: list[Line]) -> list[list[Block]]:
    """Lines as one or more messages, each within Slack's block and text limits: the first
    under a header and a summary, the others marked as continued."""
    sections = pack_sections(lines)
    chunks = [
        sections[start : start + BLOCKS_PER_PART]
        for start in range(0, len(sections), BLOCKS_PER_PART)
    ]
    parts: list[list[Block]] = []
    for number, chunk in enumerate(chunks, start=1):
        note = f"Part {number} of {len(chunks)}" if len(chunks) > 1 else ""
        if number == 1:
            lead = [header(title), context(" · ".join(filter(None, [summary, note])))]
        else:
            lead = [context(f"{title} · {note} (continued)")]
        parts.append([*lead, *chunk])
    return parts


def build_digest_parts(digest: Digest, zone: ZoneInfo) -> list[list[Block]]:
    """The digest as one or more messages, each within Slack's block and text limits."""
    return split_parts(digest_title(digest), _summary(digest), digest_lines(digest, zone))


def build_digest_fallback(digest: Digest, part: int, parts: int) -> str:
    """Notification text of a digest message (no user text)."""
    suffix = f" (part {part} of {parts})" if parts > 1 else ""
    return f"{digest_title(digest)}{suffix}: {_summary(digest)}."


def build_empty_part(digest: Digest, part: int) -> list[Block]:
    """A part no longer needed after updates were withdrawn."""
    return [context(f"{digest_title(digest)} · part {part}: nothing further (see above).")]
