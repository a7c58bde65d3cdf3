"""/dbm invite, uninvite, bodies, member, members and standdown."""

from __future__ import annotations

import re

from slack_bolt import App

from blocks.attendance import build_bodies, build_members
from blocks.text import escape
from config.files import CODE_PATTERN
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from meeting.roster import RosterChange
from meeting.standdowns import StandDownOutcome, parse_day
from meeting.timefmt import fmt_day
from service.guidance import deliver_once
from service.roster import (
    invite,
    list_roster,
    map_member,
    members,
    stand_down,
    uninvite,
    unmap_member,
)

# With should_escape=true Slack sends a mention typed as @alice as <@U123|alice>.
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
NOTHING = " Nothing was changed."


def _code(request: CommandRequest, text: str) -> str | None:
    code = text.strip().upper()
    if CODE_PATTERN.match(code):
        return code
    request.reply(
        f"`{escape(text.strip()) or '(none)'}` is not a body code: use 2 to 16 capital letters "
        f"or digits, starting with a letter, like `BTP`. `/dbm bodies` lists them.{NOTHING}"
    )
    return None


def handle_invite_command(request: CommandRequest) -> None:
    """Invite a body (new or known) from today, or from tomorrow once today's briefing closed."""
    raw, _, name = request.args.partition(" ")
    code = _code(request, raw)
    if code is None:
        return
    result, first = invite(
        request.deps, code=code, name=name, actor=request.user_id, now=request.now
    )
    label = f"*{escape(code)}*" + (f" {escape(result.body.name)}" if result.body else "")
    replies = {
        RosterChange.INVITED: f"Invited {label} from {fmt_day(first)}.",
        RosterChange.REINVITED: f"Invited {label} again from {fmt_day(first)}.",
        RosterChange.ALREADY_INVITED: f"{label} is already invited.{NOTHING}",
        RosterChange.NAME_NEEDED: (
            f"{label} is a new body: give its name too, like "
            f"`/dbm invite {code} British Transport Police`.{NOTHING}"
        ),
    }
    request.reply(replies[result.change])


def handle_uninvite_command(request: CommandRequest) -> None:
    """End a body's invitation; its past attendance stays in the record."""
    code = _code(request, request.args)
    if code is None:
        return
    result, last = uninvite(request.deps, code=code, actor=request.user_id, now=request.now)
    replies = {
        RosterChange.UNINVITED: (
            f"*{code}* is no longer invited after {fmt_day(last)}. Its past attendance is kept."
        ),
        RosterChange.NOT_INVITED: f"*{code}* is not invited at the moment.{NOTHING}",
        RosterChange.UNKNOWN_BODY: f"There is no body *{code}*. `/dbm bodies` lists them.{NOTHING}",
    }
    request.reply(replies[result.change])


def handle_bodies_command(request: CommandRequest) -> None:
    """The roster: invited bodies, and those no longer invited."""
    entries = list_roster(request.deps)
    request.reply(f"{sum(e.current for e in entries)} bodies are invited.", build_bodies(entries))


def handle_member_command(request: CommandRequest) -> None:
    """Map a person to a body (`@user CODE`), or end their mappings (`@user none`)."""
    mention, _, raw = request.args.partition(" ")
    match = MENTION.match(mention.strip())
    if match is None or not raw.strip():
        request.reply(f"Mention the person and give the body: `/dbm member @alice BTP`.{NOTHING}")
        return
    user, deps, now = match[1], request.deps, request.now
    if raw.strip().lower() == "none":
        removed = unmap_member(deps, user_id=user, actor=request.user_id, now=now)
        if removed.change is RosterChange.NOT_MEMBER:
            request.reply(f"<@{user}> does not speak for any body.{NOTHING}")
        else:
            request.reply(f"<@{user}> no longer speaks for any body.")
        return
    code = _code(request, raw)
    if code is None:
        return
    result = map_member(deps, user_id=user, code=code, actor=request.user_id, now=now)
    if result.change is RosterChange.UNKNOWN_BODY:
        request.reply(f"There is no body *{code}*. `/dbm bodies` lists them.{NOTHING}")
    elif result.change is RosterChange.ALREADY_MEMBER:
        request.reply(f"<@{user}> already speaks for *{code}*.{NOTHING}")
    else:
        request.reply(f"<@{user}> now speaks for *{code}* and can answer its roll call.")
        deliver_once(deps, request.client, user_id=user, reason="new_member")


def handle_members_command(request: CommandRequest) -> None:
    """Who speaks for each body (or one body)."""
    code = None
    if request.args.strip():
        code = _code(request, request.args)
        if code is None:
            return
    rows = members(request.deps, code)
    request.reply(f"{len(rows)} people are mapped to bodies.", build_members(rows, code))


STAND_DOWN_REPLIES = {
    StandDownOutcome.STOOD_DOWN: "Stood down the meeting of {day}: no briefing will open that day.",
    StandDownOutcome.REASON_CHANGED: "Changed the reason for standing down the meeting of {day}.",
    StandDownOutcome.ALREADY: "The meeting of {day} is already stood down for that reason."
    + NOTHING,
    StandDownOutcome.CANCELLED: "The meeting of {day} is back on: its briefing opens as usual.",
    StandDownOutcome.NOT_STOOD_DOWN: "The meeting of {day} is not stood down." + NOTHING,
    StandDownOutcome.PAST: "{day} is in the past: only today or a later day can change." + NOTHING,
    StandDownOutcome.WEEKEND: "{day} is a weekend day: there is no meeting to stand down."
    + NOTHING,
    StandDownOutcome.BANK_HOLIDAY: (
        "{day} is a bank holiday ({holiday}): there is no meeting to stand down." + NOTHING
    ),
    StandDownOutcome.BRIEFING_EXISTS: (
        "The briefing of {day} has already opened: close it with `/dbm close` instead." + NOTHING
    ),
    StandDownOutcome.REASON_NEEDED: (
        "Give a reason, like `/dbm standdown 27/11/2026 national exercise`." + NOTHING
    ),
    StandDownOutcome.REASON_TOO_LONG: "Keep the reason under 300 characters." + NOTHING,
}


def handle_standdown_command(request: CommandRequest) -> None:
    """Stand down a day's meeting (`DATE reason`), or put it back on (`cancel DATE`)."""
    first, _, rest = request.args.partition(" ")
    cancel = first.lower() == "cancel"
    when, _, reason = rest.strip().partition(" ") if cancel else (first, "", rest)
    day = parse_day(when)
    if day is None:
        request.reply(
            f"`{escape(when) or '(none)'}` is not a date: write it day first, like 27/11/2026, "
            f"or as 2026-11-27: `/dbm standdown 27/11/2026 reason`.{NOTHING}"
        )
        return
    result = stand_down(
        request.deps, day=day, reason=reason, cancel=cancel, actor=request.user_id,
        now=request.now,
    )  # fmt: skip
    template = STAND_DOWN_REPLIES[result.outcome]
    request.reply(template.format(day=fmt_day(day), holiday=result.holiday or ""))


SUBCOMMANDS = (
    Subcommand("bodies", handle_bodies_command, "list the invited bodies", changes=False),
    Subcommand(
        "invite", handle_invite_command, "invite a body to the meeting", usage="CODE Name",
        chair_only=True,
    ),
    Subcommand(
        "uninvite", handle_uninvite_command, "stop inviting a body (its record is kept)",
        usage="CODE", chair_only=True,
    ),
    Subcommand(
        "member", handle_member_command, "say who speaks for a body (none: no body)",
        usage="@user CODE|none", chair_only=True,
    ),
    Subcommand(
        "members", handle_members_command, "list who speaks for each body", usage="[CODE]",
        chair_only=True, changes=False,
    ),
    Subcommand(
        "standdown", handle_standdown_command, "stand down a day's meeting, or cancel that",
        usage="dd/mm/yyyy reason | cancel dd/mm/yyyy", chair_only=True,
    ),
)  # fmt: skip


def register(app: App, listeners: Listeners) -> None:
    """Nothing to wire beyond the subcommands."""
