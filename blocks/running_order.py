"""The running order as Slack messages: the digest's lines and parts, in the call's order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from blocks.briefing import roll_call_text
from blocks.demands import demand_line
from blocks.digest import Line, demand_item_line, item_line, split_parts
from blocks.text import Block, escape
from meeting.digest import ThreatGroup
from meeting.rollcall import BodyLine
from meeting.running_order import RunningOrder
from meeting.timefmt import fmt_day, fmt_time

NONE = Line("_None._")


def _events(title: str, groups: tuple[ThreatGroup, ...], zone: ZoneInfo) -> list[Line]:
    count = sum(len(g.items) for g in groups)
    lines = [Line(f"{title} ({count})*", heading=True)]
    for group in groups:
        lines.append(Line(f"*{group.code}: {escape(group.name)}* ({len(group.items)})"))
        lines += [Line(item_line(item, zone, threats=False)) for item in group.items]
    return lines if groups else [*lines, NONE]


def _bodies(title: str, bodies: Sequence[BodyLine]) -> Line:
    codes = ", ".join(f"*{escape(b.code)}*" for b in bodies) or "_none_"
    return Line(f"{title} ({len(bodies)}):* {codes}", heading=True)


def running_order_lines(order: RunningOrder, zone: ZoneInfo) -> list[Line]:
    """The running order as lines, in the order the chair takes them."""
    lines = [Line(f":rotating_light: *1. Urgent demands raised today ({len(order.new_demands)})*")]
    lines += [Line(demand_item_line(item, zone)) for item in order.new_demands] or [NONE]
    lines.append(Line(f":repeat: *2. Urgent demands carried ({len(order.carried)})*", True))
    lines += [Line(demand_line(demand, zone)) for demand in order.carried] or [NONE]
    lines += _events(
        ":star: *3. Significant events: national priority threats", order.priority_events, zone
    )
    lines += _events(":newspaper: *4. Other significant events", order.other_events, zone)
    lines.append(
        Line(f":calendar: *5. Operational plans, next 72 hours ({len(order.plans)})*", True)
    )
    lines += [Line(item_line(item, zone)) for item in order.plans] or [NONE]
    lines.append(
        _bodies(":white_check_mark: *6. Checked in, nothing to report", order.nothing_to_report)
    )
    lines.append(_bodies(":hourglass_flowing_sand: *7. Not yet checked in", order.not_checked_in))
    if order.apologies:
        lines.append(_bodies("*Apologies", order.apologies))
    return lines


def running_order_title(order: RunningOrder) -> str:
    """The running order's header line."""
    return f"Running order: call of {fmt_day(order.meeting_date)}"


def _summary(order: RunningOrder, zone: ZoneInfo, call_at: datetime | None) -> str:
    parts = [f"Call at {fmt_time(call_at, zone)}"] if call_at is not None else []
    parts.append(f"{order.items} items")
    parts.append(f"roll call: {roll_call_text(order.counts)}")
    return " · ".join(parts)


def build_running_order_parts(
    order: RunningOrder, zone: ZoneInfo, *, call_at: datetime | None = None
) -> list[list[Block]]:
    """The running order as one or more messages, within Slack's limits (nothing dropped)."""
    lines = running_order_lines(order, zone)
    return split_parts(running_order_title(order), _summary(order, zone, call_at), lines)


def build_running_order_fallback(order: RunningOrder, part: int, parts: int) -> str:
    """Notification text of a running order message (no user text)."""
    suffix = f" (part {part} of {parts})" if parts > 1 else ""
    return f"{running_order_title(order)}{suffix}: {order.items} items."
