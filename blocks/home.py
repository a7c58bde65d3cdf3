"""The App Home tab: a participant's view, and the chair's view with controls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from blocks.access import build_access_refusal
from blocks.day import day_text
from blocks.digest import pack_sections
from blocks.ids import ActionId, BlockId
from blocks.running_order import running_order_lines, running_order_title
from blocks.text import (
    MAX_VIEW_BLOCKS,
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
from meeting.home import BodyWeek, DayRecord, RollCallLine, TodayBriefing
from meeting.labels import KIND_LABELS
from meeting.running_order import RunningOrder
from meeting.timefmt import fmt_day, fmt_local, fmt_time
from meeting.update_view import UpdateView

STATE_LABELS = {
    "present": "present",
    "nil": "nothing to report",
    "apologies": "apologies",
    "absent": "absent",
}
ROLL_GROUPS = (
    ("present", "Present"),
    ("nil", "Present, nothing to report"),
    ("apologies", "Apologies"),
    ("absent", "Absent"),
    (None, "No answer yet"),
)
MAX_BODIES = 10
MAX_UPDATES = 10
MAX_ORDER_SECTIONS = 30  # the running order's share of the view's 100 blocks
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class GuidanceState:
    """The person's standing with the current guidance."""

    published_at: datetime | None = None
    acknowledged: bool = False
    url: str | None = None


@dataclass(frozen=True)
class HomeView:
    """Everything the App Home shows one person."""

    zone: ZoneInfo
    today: TodayBriefing
    thread_url: str | None = None
    weeks: tuple[BodyWeek, ...] = ()
    updates: tuple[UpdateView, ...] = ()
    guidance: GuidanceState = field(default_factory=GuidanceState)
    roll_call: tuple[RollCallLine, ...] | None = None  # set for chairs only
    running_order: RunningOrder | None = None  # chairs only, once today's briefing is open
    notice: str | None = None
    allowed: bool = True  # False: not a chair nor a member of an invited body


def _today_text(view: HomeView) -> str:
    today, zone = view.today, view.zone
    lines = [f"*Today, {fmt_day(today.day)}*", day_text(today, zone, view.thread_url)]
    if today.events_from and today.plans_until and today.status in ("open", "closed"):
        lines.append(
            f"Events since {fmt_local(today.events_from, zone)} · "
            f"plans until {fmt_local(today.plans_until, zone)}"
        )
    if today.status != "no_meeting":
        lines.append(
            f"Call at {fmt_time(today.call_at, zone)} · "
            f"the briefing closes at {fmt_time(today.closes_at, zone)} (UK time)"
        )
    return "\n".join(lines)


def _update_blocks(update: UpdateView, zone: ZoneInfo) -> list[Block]:
    parts = [f"*{KIND_LABELS.get(update.kind, update.kind)}*", update.body_code]
    if update.threats:
        parts.append(", ".join(update.threats))
    if update.occurs_at:
        parts.append(fmt_local(update.occurs_at, zone))
    if update.late:
        parts.append("_late_")
    summary = escape(truncate(update.summary, SUMMARY_CHARS))
    value = str(update.update_id)
    return [
        section(" · ".join(parts) + f"\n{summary}"),
        actions(
            button("Edit", ActionId.UPDATE_EDIT, value=value),
            button("Withdraw", ActionId.UPDATE_WITHDRAW, value=value, style="danger"),
        ),
    ]


def _updates_blocks(view: HomeView) -> list[Block]:
    blocks = [section("*Your updates today*")]
    if not view.updates:
        where = "reply in today's thread or use `/dbm update`"
        blocks.append(context(f"You have posted no updates today. To report, {where}."))
    for update in view.updates[:MAX_UPDATES]:
        blocks.extend(_update_blocks(update, view.zone))
    if len(view.updates) > MAX_UPDATES:
        blocks.append(context(f"…and {len(view.updates) - MAX_UPDATES} more in today's thread."))
    return blocks


def _day_text(record: DayRecord) -> str:
    if not record.held:
        return f"{record.day:%a} no meeting"
    return f"{record.day:%a} {STATE_LABELS.get(record.state or '', 'no answer')}"


def _week_blocks(view: HomeView) -> list[Block]:
    blocks = [section("*Your body's attendance this week*")]
    if not view.weeks:
        blocks.append(
            context("You are not mapped to a body yet: ask a chair to add you as its member.")
        )
    for week in view.weeks[:MAX_BODIES]:
        days = " · ".join(_day_text(record) for record in week.days)
        blocks.append(section(f"*{week.code}* ({escape(week.name)})\n{days}"))
    return blocks


def _guidance_blocks(view: HomeView) -> list[Block]:
    state = view.guidance
    if state.published_at is None:
        status = "Read what is expected of participants and how the meeting runs."
    elif state.acknowledged:
        day = fmt_day(state.published_at.astimezone(view.zone).date())
        status = f":white_check_mark: You have confirmed reading the version of {day}."
    else:
        day = fmt_day(state.published_at.astimezone(view.zone).date())
        status = f"Please read the version of {day} and confirm with *I have read this*."
    link = f" The current version is <{state.url}|pinned in the channel>." if state.url else ""
    return [
        section(f"*Guidance for participants*\n{status}{link}"),
        actions(button("Send me the guidance", ActionId.GUIDANCE_SHOW, value="home")),
    ]


def _roll_call_text(lines: tuple[RollCallLine, ...]) -> str:
    if not lines:
        return "*Roll call at a glance*\nNo bodies are invited today."
    parts = ["*Roll call at a glance*"]
    for state, label in ROLL_GROUPS:
        codes = [line.code for line in lines if line.state == state]
        if codes:
            parts.append(f"*{label}* ({len(codes)}): {', '.join(codes)}")
    return truncate("\n".join(parts), 3000)


def _confirm(title: str, text: str, go: str) -> dict[str, Any]:
    return {
        "title": {"type": "plain_text", "text": title},
        "text": {"type": "plain_text", "text": text},
        "confirm": {"type": "plain_text", "text": go},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }


def _chair_blocks(lines: tuple[RollCallLine, ...]) -> list[Block]:
    close = button("Close briefing", ActionId.HOME_CLOSE, value="close", style="danger")
    close["confirm"] = _confirm(
        "Close the briefing?",
        "The digest is posted and bodies without an answer are recorded absent.",
        "Close it",
    )
    return [
        divider(),
        header("Chair"),
        section(_roll_call_text(lines)),
        actions(
            button("Open briefing", ActionId.HOME_OPEN, value="open", style="primary"),
            close,
            button("Send reminder", ActionId.HOME_REMIND, value="remind"),
            button("Weekly export", ActionId.HOME_EXPORT, value="export"),
            block_id=BlockId.HOME_CHAIR_ACTIONS,
        ),
    ]


def _running_order_blocks(order: RunningOrder, zone: ZoneInfo) -> list[Block]:
    sections = pack_sections(running_order_lines(order, zone))
    blocks = [divider(), header(running_order_title(order)), *sections[:MAX_ORDER_SECTIONS]]
    if len(sections) > MAX_ORDER_SECTIONS:
        blocks.append(context("…the rest is in the running order in the thread (`/dbm order`)."))
    return blocks


def build_home_view(view: HomeView) -> dict[str, Any]:
    """The App Home view; the chair's controls only when `roll_call` is given; for someone
    outside the meeting, how to be added, and the guidance."""
    blocks: list[Block] = [header("Daily Briefing Meeting")]
    if view.notice:
        blocks.append(section(f":information_source: {view.notice}"))
    if not view.allowed:
        blocks += [section(build_access_refusal()), divider(), *_guidance_blocks(view)]
        return {"type": "home", "blocks": blocks}
    blocks.append(section(_today_text(view)))
    for part in (_updates_blocks(view), _week_blocks(view), _guidance_blocks(view)):
        blocks.append(divider())
        blocks.extend(part)
    if view.roll_call is not None:
        blocks.extend(_chair_blocks(view.roll_call))
    if view.roll_call is not None and view.running_order is not None:
        blocks.extend(_running_order_blocks(view.running_order, view.zone))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
