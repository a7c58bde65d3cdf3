"""Builders for the briefing header and the replies of the briefing commands.

On a phone the header's first screen holds its title, the call and close times, the roll call
and the roll-call buttons; the windows, the carried demands and the how-to follow the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blocks.demands import demand_line
from blocks.ids import ActionId, BlockId, EventType
from blocks.text import Block, actions, button, context, header, section
from meeting.demands import OpenDemand
from meeting.timefmt import fmt_day, fmt_local, fmt_time
from meeting.week import Tally


@dataclass(frozen=True)
class HeaderView:
    """What the briefing header shows.

    `open_demands` are the carried demands to list (oldest first; at most `demand_limit` are
    shown) and `demands_total` how many are carried in all. `closed_at` set: the closed header.
    """

    meeting_date: date
    events_from: datetime
    opened_at: datetime
    plans_until: datetime
    zone: ZoneInfo
    extra: bool = False
    open_demands: tuple[OpenDemand, ...] = field(default_factory=tuple)
    guidance_url: str | None = None
    call_at: datetime | None = None
    closes_at: datetime | None = None
    roll: Tally | None = None
    demands_total: int | None = None
    demand_limit: int = 5
    closed_at: datetime | None = None


def header_title(view: HeaderView) -> str:
    """The header's first line."""
    kind = "Extra session" if view.extra else "Daily Briefing Meeting"
    return f"{kind}: {fmt_day(view.meeting_date)}"


def roll_call_text(counts: Tally, *, closed: bool = False) -> str:
    """Like "18 of 25 bodies checked in · 3 apologies · 4 to go"."""
    noun = "body" if counts.meetings == 1 else "bodies"
    parts = [f"{counts.attended} of {counts.meetings} {noun} checked in"]
    if counts.apologies:
        parts.append(f"{counts.apologies} apolog{'y' if counts.apologies == 1 else 'ies'}")
    if counts.absent:
        parts.append(f"{counts.absent} absent")
    if counts.not_recorded:
        parts.append(f"{counts.not_recorded} {'not answered' if closed else 'to go'}")
    elif counts.meetings and not closed:
        parts.append("every body has answered")
    return " · ".join(parts)


def _times_text(view: HeaderView) -> str:
    times = []
    if view.call_at is not None:
        times.append(f"*Call at {fmt_time(view.call_at, view.zone)}*")
    if view.closes_at is not None:
        times.append(f"closes at {fmt_time(view.closes_at, view.zone)}")
    lines = [f":telephone_receiver: {' · '.join(times)} (UK time)"] if times else []
    if view.roll is not None:
        label = "Final roll call" if view.closed_at else "Roll call"
        lines.append(f"*{label}:* {roll_call_text(view.roll, closed=view.closed_at is not None)}")
    return "\n".join(lines)


def _windows_text(view: HeaderView) -> str:
    since = fmt_local(view.events_from, view.zone)
    until = fmt_local(view.plans_until, view.zone)
    return (
        f"*Significant events* since {since}\n"
        f"*Operational plans* until {until}\n"
        "*Urgent operational or intelligence demands*"
    )


def _how_text(view: HeaderView) -> str:
    guidance = (
        f"the <{view.guidance_url}|guidance for participants>"
        if view.guidance_url
        else "the guidance with `/dbm guidance`"
    )
    late = " Updates sent now are marked late." if view.closed_at else ""
    return (
        "Reply in this thread, one update per message, e.g. "
        "`EVENT | firearms | yesterday 22:40 | what happened`, or press *Add update*. "
        f"Nothing above OFFICIAL-SENSITIVE. Read {guidance}.{late}"
    )


def _demand_blocks(view: HeaderView) -> list[Block]:
    total = len(view.open_demands) if view.demands_total is None else view.demands_total
    shown = view.open_demands[: max(0, view.demand_limit)]
    if total == 0:
        return []
    lines = [demand_line(demand, view.zone) for demand in shown]
    more = total - len(shown)
    if more > 0:
        lead = "and" if shown else "There are"
        lines.append(f"{lead} {more} more: `/dbm demands`")
    title = f":rotating_light: *Open urgent demands carried ({total})*"
    return [section("\n".join([title, *lines]), block_id=BlockId.DEMANDS)]


def _roll_call_buttons() -> Block:
    return actions(
        button("Present", ActionId.ROLL_PRESENT, value="present", style="primary"),
        button("Present, nothing to report", ActionId.ROLL_NIL, value="nil"),
        button("Send apologies", ActionId.ROLL_APOLOGIES, value="apologies"),
        button("Add update", ActionId.ADD_UPDATE, value="add"),
        block_id=BlockId.ROLL_CALL,
    )


def _closed_note(closed_at: datetime, zone: ZoneInfo) -> Block:
    text = f":white_circle: *Closed at {fmt_time(closed_at, zone)}* — the digest is in the thread."
    return section(text, block_id=BlockId.CLOSED)


def build_briefing_header(view: HeaderView) -> list[Block]:
    """The message that opens the day's briefing and becomes its thread (open or closed)."""
    times = _times_text(view)
    return [
        header(header_title(view), block_id=BlockId.HEADER),
        *([section(times, block_id=BlockId.TIMES)] if times else []),
        _closed_note(view.closed_at, view.zone) if view.closed_at else _roll_call_buttons(),
        section(_windows_text(view), block_id=BlockId.WINDOWS),
        *_demand_blocks(view),
        context(_how_text(view)),
    ]


def build_header_fallback(view: HeaderView) -> str:
    """Notification text of the header."""
    if view.closed_at is not None:
        return f"{header_title(view)}. Closed: the digest is in the thread."
    return f"{header_title(view)}. Reply in the thread with your updates."


def build_already_open(day: date, link: str | None) -> str:
    """Reply when today's briefing is open already."""
    where = f"<{link}|the thread>" if link else "the thread in the briefing channel"
    return (
        f"Today's briefing ({fmt_day(day)}) is already open: see {where}. Nothing new was opened."
    )


def build_opened(day: date, link: str | None) -> str:
    """Reply when a chair opened the briefing."""
    where = f": <{link}|open the thread>" if link else "."
    return f"Opened the briefing for {fmt_day(day)}{where}"


def build_closed(day: date) -> str:
    """Reply when a chair closed the briefing."""
    return f"Closed the briefing for {fmt_day(day)}."


def is_header_of(message: dict[str, Any], day: date) -> bool:
    """True if a channel message is the header of the briefing of `day` (its metadata says)."""
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(
        metadata.get("event_type") == EventType.BRIEFING_OPENED
        and payload.get("meeting_date") == day.isoformat()
    )
