"""The day's record as canvas markdown, and the line in the thread that links to it.

A canvas takes markdown (docs.slack.dev, "Canvases": headings h1-h3, bold, lists, tables,
links, mentions), not Block Kit. The week's canvas starts with the protective marking as an h1
heading; each day is an h2 heading (looked up to keep a day from being written twice) with its
parts as h3 headings, in the digest's order. What people wrote is made inert: on one line,
with markdown punctuation escaped so it cannot make headings, links or mentions.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from blocks.digest import MAX_ITEM_SUMMARY
from blocks.text import Block, context, plain, section, truncate
from meeting.record import DemandLine, MeetingRecord
from meeting.timefmt import fmt_date, fmt_local, fmt_time, fmt_week_commencing
from meeting.update_view import UpdateView
from meeting.week import LABELS

_SPECIAL = re.compile(r"([\\`*_\[\]()#|<>~!])")


def md_escape(text: str) -> str:
    """User text for canvas markdown: one line, no markup, not too long."""
    flat = " ".join(plain(text).split())
    return _SPECIAL.sub(r"\\\1", truncate(flat, MAX_ITEM_SUMMARY))


def record_title(week_start: date) -> str:
    """The week's canvas title, e.g. "DBM record — week commencing Mon 23/11/2026"."""
    return f"DBM record — {fmt_week_commencing(week_start)}"


def marking_heading(marking: str) -> str:
    """The canvas's first line: the protective marking as a heading."""
    return f"# {marking}"


def day_heading(day: date) -> str:
    """A day's heading text, e.g. "Monday 23/11/2026"."""
    return f"{day:%A} {fmt_date(day)}"


def _threats(codes: tuple[str, ...]) -> str:
    joined = " + ".join(codes) or "no threat"
    return f"{joined} (cross-cutting)" if len(codes) > 1 else joined


def _notes(item: UpdateView) -> str:
    notes = [f"*{item.marking}*"] if item.marking != "OFFICIAL" else []
    return "".join(f" · {n}" for n in (*notes, *(["*late*"] if item.late else [])))


def _item(item: UpdateView, zone: ZoneInfo, *, threats: bool = True) -> str:
    parts = [f"**{item.body_code}**"]
    if item.occurs_at is not None:
        parts.append(fmt_local(item.occurs_at, zone))
    if threats or item.cross_cutting:
        parts.append(_threats(item.threats))
    if item.location:
        parts.append(md_escape(item.location))
    return f"- {' · '.join(parts)}{_notes(item)}: {md_escape(item.summary)}"


def _demand(item: UpdateView, zone: ZoneInfo) -> str:
    status = (item.demand_status or "open").upper()
    asked = f" → **{item.respond_body_code}**" if item.respond_body_code else ""
    due = f" · due {fmt_local(item.due_at, zone)}" if item.due_at else ""
    head = f"- **{status}** · **{item.body_code}**{asked}{due} · {_threats(item.threats)}"
    return f"{head}{_notes(item)}: {md_escape(item.summary)}"


def _windows(record: MeetingRecord, zone: ZoneInfo) -> list[str]:
    held = [f"opened {fmt_time(record.opened_at, zone)}"] if record.opened_at else []
    held += [f"closed {fmt_time(record.closed_at, zone)}"] if record.closed_at else []
    return [
        f"**Events since** {fmt_local(record.events_from, zone)} · "
        f"**plans until** {fmt_local(record.plans_until, zone)}"
        + (f" · {', '.join(held)}" if held else ""),
    ]


def _attendance(record: MeetingRecord) -> list[str]:
    if not record.attendance:
        return ["No body was invited."]
    rows = [
        f"| {row.code} | {md_escape(row.name)} | {LABELS[row.mark]} |" for row in record.attendance
    ]
    return ["| Body | Name | Attendance |", "| --- | --- | --- |", *rows]


def _updates(record: MeetingRecord, zone: ZoneInfo) -> list[str]:
    digest = record.digest
    lines = [f"### Urgent demands ({len(digest.demands)})"]
    lines += [_demand(item, zone) for item in digest.demands] or ["None."]
    lines.append(f"### Significant events ({sum(len(g.items) for g in digest.events)})")
    for group in digest.events:
        star = " · national priority" if group.priority else ""
        lines.append(f"**{group.code}: {md_escape(group.name)}** ({len(group.items)}){star}")
        lines += [_item(item, zone, threats=False) for item in group.items]
    if not digest.events:
        lines.append("None.")
    lines.append(f"### Operational plans ({len(digest.plans)})")
    lines += [_item(item, zone) for item in digest.plans] or ["None."]
    counts = " · ".join(f"{code} {n}" for code, n in digest.counts) or "none"
    return [*lines, f"**Updates per body:** {counts}"]


def _demand_lines(label: str, demands: tuple[DemandLine, ...], zone: ZoneInfo) -> list[str]:
    if not demands:
        return [f"- {label}: none"]
    lines = [f"- {label}: {len(demands)}"]
    for demand in demands:
        due = f" (due {fmt_local(demand.due_at, zone)})" if demand.due_at else ""
        lines.append(f"  - **{demand.body_code}**{due}: {md_escape(demand.summary)}")
    return lines


def build_record_markdown(record: MeetingRecord, zone: ZoneInfo) -> str:
    """One day of the week's canvas: its heading, windows, attendance, updates and demands."""
    lines = [f"## {day_heading(record.meeting_date)}", *_windows(record, zone)]
    lines += ["### Attendance", *_attendance(record), *_updates(record, zone)]
    lines.append("### Urgent demands opened, met and lapsed")
    lines += _demand_lines("Opened", record.opened, zone)
    lines += _demand_lines("Met", record.met, zone)
    lines += _demand_lines("Lapsed (due time passed unmet)", record.lapsed, zone)
    return "\n".join(lines)


def build_record_link(title: str, permalink: str, marking: str) -> tuple[str, list[Block]]:
    """The line posted in the thread with the digest: where the day's record is."""
    text = f"The day's record is in the canvas {title} ({marking})."
    blocks = [
        section(f":memo: The day's record is in the canvas *<{permalink}|{title}>*."),
        context(f"Marked {marking}. Each day is added at the top; the bot keeps it read-only."),
    ]
    return text, blocks
