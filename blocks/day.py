"""The day's state in words, one text for /dbm status, /dbm open and the App Home; and the
blocks of /dbm status: who to chase first, then the counts, then the rest."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from blocks.attendance import sections
from blocks.briefing import roll_call_text
from blocks.text import Block, escape
from meeting.attendance import STATE_NAMES
from meeting.home import TodayBriefing
from meeting.rollcall import BodyLine, RollCallView
from meeting.status import DayStatus, DigestSummary
from meeting.timefmt import fmt_day, fmt_time


def _thread(url: str | None) -> str:
    return f"<{url}|go to the thread>" if url else "see the thread in the briefing channel"


def _open_text(today: TodayBriefing, url: str | None) -> str:
    what = "An extra session is open" if today.extra else "The briefing is open"
    why = f" (no scheduled meeting: {escape(today.reason)})" if today.extra and today.reason else ""
    return f"{what}{why}: {_thread(url)}."


def _closed_text(today: TodayBriefing, zone: ZoneInfo, url: str | None) -> str:
    at = f" at {fmt_time(today.closed_at, zone)}" if today.closed_at else ""
    return f"Today's briefing closed{at}; the digest is in the thread ({_thread(url)})."


def day_text(today: TodayBriefing, zone: ZoneInfo, url: str | None = None) -> str:
    """Where today's meeting stands, in one sentence."""
    opens = fmt_time(today.opens_at, zone)
    texts = {
        "not_yet": f"The briefing thread opens at {opens}.",
        "late": f"The briefing was due to open at {opens} and has not opened yet.",
        "opening": "The briefing thread is being opened now.",
        "no_meeting": f"No meeting today: {escape(today.reason or 'no meeting')}.",
        "missed": (
            f"Today's briefing was not opened at {opens}, and it is now too late for the bot "
            "to open it on its own."
        ),
    }
    if today.status == "open":
        return _open_text(today, url)
    if today.status == "closed":
        return _closed_text(today, zone, url)
    return texts.get(today.status, texts["not_yet"])


def chair_hint(today: TodayBriefing) -> str | None:
    """What a chair can do about the day's state, if anything."""
    day = f"{today.day:%d/%m/%Y}"
    hints = {
        "late": "`/dbm open` opens it now.",
        "missed": "`/dbm open` opens it now.",
        "open": "`/dbm remind` reminds those yet to answer; `/dbm close` closes it now.",
        "closed": "Late updates are still taken today and marked late in the digest.",
    }
    if today.status == "no_meeting" and today.reason_kind == "stand_down":
        hint = f"`/dbm standdown cancel {day}` puts the meeting back on"
        return f"{hint}; `/dbm open` opens an extra session now."
    if today.status == "no_meeting":
        return "If a meeting is needed, `/dbm open` opens an extra session."
    return hints.get(today.status)


def left_open_text(today: TodayBriefing) -> str | None:
    """A note when an earlier briefing was left open."""
    if today.left_open is None:
        return None
    return f"The briefing of {fmt_day(today.left_open)} is still open: `/dbm close` closes it."


def build_open_refusal(today: TodayBriefing, link: str | None) -> str | None:
    """The reply to /dbm open when there is nothing to open today; None when it should open."""
    where = f"<{link}|the thread>" if link else "the thread in the briefing channel"
    day = fmt_day(today.day)
    if today.status == "open":
        return f"Today's briefing ({day}) is already open: see {where}. Nothing new was opened."
    if today.status == "opening":
        return "Today's briefing is being opened right now; it will appear in a moment."
    if today.status == "closed":
        return (
            f"Today's briefing ({day}) has closed; the digest is in {where}. There is one "
            "briefing a day, so nothing new was opened. Late updates are still taken today."
        )
    return None


def _chase_lines(chase: tuple[BodyLine, ...]) -> list[str]:
    if not chase:
        return ["*Not yet checked in*: none, every invited body has answered."]
    lines = [f"*Not yet checked in ({len(chase)})*"]
    for body in chase:
        who = " ".join(f"<@{user}>" for user in body.people) or "_no one mapped to this body_"
        lines.append(f"• *{escape(body.code)}* {escape(body.name)}: {who}")
    return lines


def _answered_lines(roll: RollCallView) -> list[str]:
    if not roll.answered:
        return []
    lines = ["*Answered*"]
    lines += [f"• *{escape(b.code)}*: {STATE_NAMES[state]}" for b, state in roll.answered]
    return lines


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def digest_text(summary: DigestSummary) -> str:
    """What the digest holds, in one line."""
    parts = [
        f"{_n(summary.total, 'update')} from {_n(summary.bodies, 'body', 'bodies')}",
        f"{_n(summary.events, 'event')} · {_n(summary.plans, 'plan')} · "
        f"{_n(summary.demands, 'urgent demand')}",
        f"{summary.cross_cutting} cross-cutting",
    ]
    parts += [f"{summary.late} late"] if summary.late else []
    parts += [f"{summary.after_order} after the running order"] if summary.after_order else []
    parts += [f"{_n(summary.lapsed, 'demand')} lapsed"] if summary.lapsed else []
    return "*The digest holds* " + " · ".join(parts) + "."


def _status_lines(status: DayStatus, zone: ZoneInfo, url: str | None) -> list[str]:
    today = status.today
    lines = [f"*{fmt_day(today.day)}*: {day_text(today, zone, url)}"]
    closed = today.status == "closed"
    roll = status.roll
    if roll is not None and not closed:
        lines += _chase_lines(roll.to_chase)
    if roll is not None:
        label = "Final roll call" if closed else "Roll call"
        lines.append(f"*{label}:* {roll_call_text(roll.counts, closed=closed)}")
    if status.digest is not None:
        lines.append(digest_text(status.digest))
    if roll is not None:
        lines += _answered_lines(roll)
    return lines


def build_day_status(
    status: DayStatus, zone: ZoneInfo, url: str | None = None, *, chair: bool = True
) -> list[Block]:
    """/dbm status: the day's state; those to chase (with their people) first, then the counts,
    then who answered; after the close, what the digest holds; a chair's next step (chairs)."""
    lines = _status_lines(status, zone, url)
    extra = [left_open_text(status.today), chair_hint(status.today)] if chair else []
    lines += [f"_{text}_" for text in extra if text]
    return sections(lines)


def build_day_status_fallback(status: DayStatus, zone: ZoneInfo) -> str:
    """Notification text of /dbm status (no user text)."""
    roll = status.roll
    if roll is not None and status.today.status == "open":
        return f"Roll call: {roll_call_text(roll.counts)}."
    return day_text(status.today, zone)
