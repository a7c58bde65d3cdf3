"""Urgent demands in Block Kit: their age, the /dbm demands list, the morning's question to the
raiser, and what the raiser is told when a demand lapses or is reopened."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from blocks.ids import ActionId
from blocks.text import Block, actions, button, context, escape, section, truncate
from blocks.updates import threat_text
from meeting.demands import OpenDemand
from meeting.renewal import Lapse, Renewal, RenewalPrompt, Renewed
from meeting.timefmt import fmt_local

MAX_LISTED = 24  # two blocks each, within a message's 50
LAPSED_POINTER = "Demands that lapsed, unrenewed: `/dbm demands lapsed`."
LIST_SUMMARY = 1500
LINE_SUMMARY = 150


def raised_text(demand: OpenDemand) -> str:
    """Like "raised Mon 23/11, 4 days" (or "raised today")."""
    if demand.raised_on is None:
        return ""
    if demand.age_days == 0:
        return "raised today"
    days = "1 day" if demand.age_days == 1 else f"{demand.age_days} days"
    return f"raised {demand.raised_on:%a %d/%m}, {days}"


def one_line(text: str, limit: int = LINE_SUMMARY) -> str:
    """User text on one line, inert and cut to `limit`."""
    return escape(truncate(" ".join(text.split()), limit))


def demand_line(demand: OpenDemand, zone: ZoneInfo) -> str:
    """A demand as one bullet: body, summary, age, due time."""
    parts = [f"• *{escape(demand.body_code)}*: {one_line(demand.summary)}", raised_text(demand)]
    if demand.due_at is not None:
        parts.append(f"due {fmt_local(demand.due_at, zone)}")
    return " · ".join(p for p in parts if p)


def _buttons(demand_id: int, *, renew: bool) -> Block:
    value = str(demand_id)
    elements = [button("Still needed", ActionId.DEMAND_RENEW, value=value)] if renew else []
    elements += [
        button("Met", ActionId.DEMAND_MET, value=value, style="primary"),
        button("No longer needed", ActionId.DEMAND_WITHDRAW, value=value),
    ]
    return actions(*elements)


def _list_text(demand: OpenDemand, zone: ZoneInfo) -> str:
    asked = f" → *{escape(demand.respond_body_code)}*" if demand.respond_body_code else ""
    due = f" · due {fmt_local(demand.due_at, zone)}" if demand.due_at else ""
    head = f"*{escape(demand.body_code)}*{asked} · {raised_text(demand)}{due}"
    return f"{head} · {threat_text(demand.threats)}\n{one_line(demand.summary, LIST_SUMMARY)}"


def build_open_demands(
    demands: Sequence[OpenDemand], zone: ZoneInfo, *, changeable: Collection[int]
) -> list[Block]:
    """The open urgent demands, oldest first, with buttons only on those the viewer may change
    (for /dbm demands); a pointer to the lapsed ones."""
    if not demands:
        return [section("There are no open urgent demands."), context(LAPSED_POINTER)]
    blocks = [section(f":rotating_light: *Open urgent demands ({len(demands)})*")]
    for demand in demands[:MAX_LISTED]:
        blocks.append(section(_list_text(demand, zone)))
        if demand.id in changeable:
            blocks.append(_buttons(demand.id, renew=True))
    notes = []
    if len(demands) > MAX_LISTED:
        notes.append(f"…and {len(demands) - MAX_LISTED} more, oldest first above.")
    if not changeable:
        notes.append("Only the body that raised a demand, or a chair, can close it.")
    blocks.append(context(" ".join([*notes, LAPSED_POINTER])))
    return blocks[:50]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _lapse_when(prompt: RenewalPrompt, closes_at: str) -> str:
    if prompt.remaining == 0:
        return f"If no one answers, it lapses when today's briefing closes at {closes_at}."
    if prompt.remaining == 1:
        return "If no one answers, it lapses at the close of the next briefing."
    which = _ordinal(prompt.remaining)
    return f"If no one answers, it lapses at the close of the {which} briefing from today."


@dataclass(frozen=True)
class PromptView:
    """The morning's question to a demand's raiser."""

    prompt: RenewalPrompt
    zone: ZoneInfo
    closes_at: str  # like "11:00"


def build_renewal_prompt(view: PromptView) -> list[Block]:
    """The private question: is this demand still needed? (Still needed / Met / No longer
    needed)."""
    demand = view.prompt.demand
    return [
        section(
            ":rotating_light: *Is your urgent demand still needed?*\n"
            + demand_line(demand, view.zone)
        ),
        context(_lapse_when(view.prompt, view.closes_at)),
        _buttons(demand.id, renew=True),
    ]


def build_renewal_fallback(view: PromptView) -> str:
    """Notification text of the question (no user text)."""
    return f"Is {view.prompt.demand.body_code}'s urgent demand still needed? Please answer."


def build_lapsed_notice(lapse: Lapse, zone: ZoneInfo, lapse_after: int) -> str:
    """What a raiser is told when their demand lapsed."""
    return (
        f":hourglass: *Your urgent demand lapsed:*\n{demand_line(lapse.demand, zone)}\n"
        f"No one renewed it at the last {lapse_after} briefings, so it is no longer carried. "
        "If it is still needed, raise it again or ask a chair to reopen it."
    )


_RENEW_REPLIES = {
    Renewed.RENEWED: "Noted: still needed. It stays in the briefing header until it is met.",
    Renewed.ALREADY: "You had already said it is still needed today; nothing changed.",
    Renewed.REOPENED: "Reopened: the demand is carried into the briefings again.",
    Renewed.NOT_ALLOWED: (
        "Only the body that raised this demand, or a chair, can answer for it. Nothing changed."
    ),
    Renewed.GONE: "That demand no longer exists. Nothing changed.",
}
_NOT_OPEN = {
    "met": "That demand was already marked met. Nothing changed.",
    "withdrawn": "That demand was already marked no longer needed. Nothing changed.",
    "lapsed": (
        "That demand lapsed because no one renewed it. Raise it again, or ask a chair to "
        "reopen it. Nothing changed."
    ),
    "open": "That demand is open, not lapsed, so there is nothing to reopen.",
}


def build_renewal_reply(renewal: Renewal) -> str:
    """The private answer to *Still needed* or to a chair's reopening."""
    if renewal.outcome is Renewed.NOT_OPEN:
        return _NOT_OPEN.get(renewal.status or "", "That demand is closed. Nothing changed.")
    return _RENEW_REPLIES[renewal.outcome]


def build_reopen_reply(renewal: Renewal) -> str:
    """The private answer to *Reopen* (only chairs may reopen)."""
    if renewal.outcome is Renewed.NOT_ALLOWED:
        return "Only a chair can reopen a lapsed demand. Nothing changed."
    return build_renewal_reply(renewal)


def build_lapsed_demands(
    lapsed: Sequence[OpenDemand], zone: ZoneInfo, *, chair: bool
) -> list[Block]:
    """Demands that lapsed, newest first, with *Reopen* for a chair."""
    if not lapsed:
        return [section("No urgent demand has lapsed.")]
    blocks = [section(f":hourglass: *Lapsed urgent demands ({len(lapsed)})*")]
    for demand in lapsed[:MAX_LISTED]:
        blocks.append(section(_list_text(demand, zone)))
        if chair:
            value = str(demand.id)
            blocks.append(actions(button("Reopen", ActionId.DEMAND_REOPEN, value=value)))
    if not chair:
        blocks.append(context("A chair can reopen a lapsed demand."))
    return blocks[:50]


def lapsed_lines(lapsed: Sequence[OpenDemand], zone: ZoneInfo) -> list[str]:
    """The digest's lines for demands that lapsed at the close."""
    return [f"{demand_line(d, zone)} · _lapsed, not renewed_" for d in lapsed]
