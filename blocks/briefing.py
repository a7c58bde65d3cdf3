"""Builders for the briefing header and the replies of the briefing commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from blocks.ids import ActionId, BlockId
from blocks.text import Block, actions, button, context, divider, escape, header, section
from meeting.timefmt import fmt_day, fmt_local


@dataclass(frozen=True)
class DemandLine:
    """An open urgent demand carried into a header."""

    update_id: int
    body_code: str
    summary: str
    due: datetime | None = None


@dataclass(frozen=True)
class HeaderView:
    """What the briefing header shows."""

    meeting_date: date
    events_from: datetime
    opened_at: datetime
    plans_until: datetime
    zone: ZoneInfo
    extra: bool = False
    open_demands: tuple[DemandLine, ...] = field(default_factory=tuple)
    guidance_url: str | None = None


def header_title(view: HeaderView) -> str:
    """The header's first line."""
    kind = "Extra session" if view.extra else "Daily Briefing Meeting"
    return f"{kind}: {fmt_day(view.meeting_date)}"


def _windows_text(view: HeaderView) -> str:
    since = fmt_local(view.events_from, view.zone)
    until = fmt_local(view.plans_until, view.zone)
    return (
        f"*Significant events* since {since}\n"
        f"*Operational plans* from now until {until}\n"
        "*Urgent operational or intelligence demands*"
    )


def _how_text(view: HeaderView) -> str:
    guidance = (
        f"the <{view.guidance_url}|guidance for participants>"
        if view.guidance_url
        else "the guidance with `/dbm guidance`"
    )
    return (
        "Reply in this thread, one update per message, e.g. "
        "`EVENT | firearms | yesterday 22:40 | what happened`, or press *Add update*. "
        f"Nothing above OFFICIAL-SENSITIVE. Read {guidance}."
    )


def _demand_lines(view: HeaderView) -> list[Block]:
    if not view.open_demands:
        return []
    lines = []
    for demand in view.open_demands[:20]:
        due = f" (due {fmt_local(demand.due, view.zone)})" if demand.due else ""
        lines.append(f"• *{demand.body_code}*: {escape(demand.summary)}{due}")
    more = len(view.open_demands) - 20
    if more > 0:
        lines.append(f"…and {more} more: `/dbm demands`")
    return [
        section(
            ":rotating_light: *Open urgent demands*\n" + "\n".join(lines), block_id=BlockId.DEMANDS
        )
    ]


def build_briefing_header(view: HeaderView) -> list[Block]:
    """The message that opens the day's briefing and becomes its thread."""
    return [
        header(header_title(view), block_id=BlockId.HEADER),
        section(_windows_text(view), block_id=BlockId.WINDOWS),
        *_demand_lines(view),
        context(_how_text(view)),
        divider(),
        actions(
            button("Present", ActionId.ROLL_PRESENT, value="present", style="primary"),
            button("Present, nothing to report", ActionId.ROLL_NIL, value="nil"),
            button("Send apologies", ActionId.ROLL_APOLOGIES, value="apologies"),
            button("Add update", ActionId.ADD_UPDATE, value="add"),
            block_id=BlockId.ROLL_CALL,
        ),
    ]


def build_header_fallback(view: HeaderView) -> str:
    """Notification text of the header."""
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
