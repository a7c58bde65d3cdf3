"""Builders for roll call, roster, status and reminder messages, and the compact week grid."""

from __future__ import annotations

from datetime import date

from blocks.text import Block, escape, section, truncate
from meeting.attendance import STATE_NAMES, Answer, Refusal, State
from meeting.roster import RosterEntry
from meeting.timefmt import fmt_day
from meeting.week import Grid, Mark

GRID_SYMBOLS = {
    Mark.PRESENT: "P",
    Mark.NIL: "N",
    Mark.APOLOGIES: "A",
    Mark.ABSENT: "X",
    Mark.NOT_RECORDED: "?",
    Mark.NOT_INVITED: ".",
    Mark.NO_MEETING: "-",
}
GRID_KEY = "P present · N nil return · A apologies · X absent · ? not recorded · . not invited"
MAX_COMMENT = 3500
MAX_GRID_ROWS = 70


def sections(lines: list[str], *, limit: int = 2900) -> list[Block]:
    """Lines packed into as few section blocks as Slack's text limit allows (at most 50)."""
    blocks: list[Block] = []
    chunk = ""
    for line in lines:
        if chunk and len(chunk) + 1 + len(line) > limit:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else truncate(line, limit)
    if chunk:
        blocks.append(section(chunk))
    return blocks[:50]


def _codes(codes: list[str]) -> str:
    return ", ".join(f"*{escape(code)}*" for code in codes)


def build_answer_reply(answer: Answer, state: State) -> str:
    """Ephemeral reply to a roll-call press (or a chair's override)."""
    day = fmt_day(answer.briefing.meeting_date) if answer.briefing else ""
    if answer.refusal is not None:
        return _refusal_text(answer, day)
    lines = []
    for body, before in answer.recorded:
        code = f"*{escape(body.code)}*"
        if before is None:
            lines.append(f"Recorded {code} as {STATE_NAMES[state]} at the briefing of {day}.")
        elif before == state:
            lines.append(f"{code} was already recorded as {STATE_NAMES[state]} for {day}.")
        else:
            lines.append(
                f"Changed {code} from {STATE_NAMES[before]} to {STATE_NAMES[state]} for {day}."
            )
    return "\n".join(lines)


def _refusal_text(answer: Answer, day: str) -> str:
    codes = _codes([b.code for b in answer.bodies])
    texts = {
        Refusal.NOT_A_BRIEFING: "That message is not a briefing I know, so nothing was recorded.",
        Refusal.CLOSED: (
            f"The briefing of {day} is closed, so its roll call is over and nothing was "
            "recorded. A chair can correct the record with `/dbm present CODE dd/mm/yyyy`."
        ),
        Refusal.NO_BODY: (
            "You are not listed as speaking for any body, so nothing was recorded. "
            "Ask a chair to add you with `/dbm member @you CODE`."
        ),
        Refusal.NOT_INVITED: (
            f"{codes} is not invited to the briefing of {day}, so nothing was recorded. "
            "A chair can invite a body with `/dbm invite CODE Name`."
        ),
        Refusal.UNKNOWN_BODY: "There is no body with that code. `/dbm bodies` lists them.",
    }
    return texts[answer.refusal or Refusal.NOT_A_BRIEFING]


def build_bodies(entries: list[RosterEntry]) -> list[Block]:
    """The roster: invited bodies first, then bodies no longer invited."""
    current = [e for e in entries if e.current]
    former = [e for e in entries if not e.current]
    lines = [f"*Invited bodies ({len(current)})*"]
    for entry in current:
        since = f"since {entry.invited_from:%d/%m/%Y}" if entry.invited_from else ""
        people = f"{entry.members} member{'s' if entry.members != 1 else ''}"
        lines.append(f"• *{escape(entry.body.code)}* {escape(entry.body.name)} ({since}, {people})")
    if former:
        lines.append("*No longer invited*")
    for entry in former:
        until = f"until {entry.invited_to:%d/%m/%Y}" if entry.invited_to else "never invited"
        lines.append(f"• *{escape(entry.body.code)}* {escape(entry.body.name)} ({until})")
    return sections(lines)


def build_members(rows: list[tuple[str, str, str]], code: str | None) -> list[Block]:
    """People mapped to bodies, as (code, name, user id) rows grouped by body."""
    if not rows:
        where = f" for *{escape(code)}*" if code else ""
        return sections([f"No one is mapped{where} yet. Add people with `/dbm member @user CODE`."])
    lines: list[str] = []
    current = None
    for body_code, name, user in rows:
        if body_code != current:
            lines.append(f"*{escape(body_code)}* {escape(name)}")
            current = body_code
        lines.append(f"• <@{user}>")
    return sections(lines)


def build_reminder(
    missing: list[tuple[str, str, list[str]]], call_at: str
) -> tuple[str, list[Block]]:
    """The thread reminder naming bodies without a roll-call answer, mentioning their members."""
    lines = [f":bell: *Roll call*: the call starts at {call_at}. Not yet checked in:"]
    for code, name, users in missing:
        who = " ".join(f"<@{u}>" for u in users) or "_no one mapped to this body_"
        lines.append(f"• *{escape(code)}* {escape(name)}: {who}")
    lines.append(
        "Press *Present*, *Present, nothing to report* or *Send apologies* on the briefing above."
    )
    mentions = " ".join(f"<@{u}>" for _, _, users in missing for u in users)
    codes = ", ".join(code for code, _, _ in missing)
    fallback = truncate(f"Roll call reminder: not yet checked in: {codes}. {mentions}", 3000)
    return fallback, sections(lines)


def _grid_line(label: str, cells: list[str], tail: str) -> str:
    return f"{label:<8}" + "".join(f"{c:<4}" for c in cells) + tail


def build_week_grid(grid: Grid, title: str) -> str:
    """The week as a compact monospace grid, for the message that carries the spreadsheet."""
    head = _grid_line("", [f"{d.day:%a}"[:3] for d in grid.days], " Rate")
    dates = _grid_line("", [f"{d.day:%d}" for d in grid.days], "")
    rows = []
    for row in grid.rows[:MAX_GRID_ROWS]:
        rate = "" if row.totals.rate is None else f" {row.totals.rate:.0%}"
        cells = [GRID_SYMBOLS[m] for m in row.marks]
        rows.append(_grid_line(row.code[:7], cells, rate))
    overall = grid.overall.rate
    summary = f"Attendance rate {overall:.0%}." if overall is not None else "No briefings held."
    notes = [
        f"{d.day:%a %d/%m}: no meeting ({escape(d.reason or '')})" for d in grid.days if not d.held
    ]
    if len(grid.rows) > MAX_GRID_ROWS:
        rows.append(f"…and {len(grid.rows) - MAX_GRID_ROWS} more bodies in the spreadsheet")
    body = "\n".join([head, dates, *rows])
    text = (
        f"*Attendance, {title}* ({_period(grid.start, grid.end)}). {summary}\n"
        f"```\n{body}\n```\n{GRID_KEY} · - no meeting\n" + "\n".join(notes)
    )
    return truncate(text.strip(), MAX_COMMENT)


def _period(start: date, end: date) -> str:
    return f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
