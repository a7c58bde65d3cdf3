"""/dbm audit CODE: a chair asks for the last entries of the audit trail about a body."""

from __future__ import annotations

from slack_bolt import App

from blocks.audit import build_body_audit
from blocks.text import escape
from bot.slack import name_lookup
from handlers.router import CommandRequest, Subcommand
from meeting.audit_trail import AuditQuery, find_entries, load_names, to_lines
from meeting.roster import body_by_code
from storage.db import session_scope

LAST_ENTRIES = 20


def handle_audit_command(request: CommandRequest) -> None:
    """Reply with a body's last 20 audit entries, in words, people named from Slack."""
    code = request.args.strip().split(maxsplit=1)[0] if request.args.strip() else ""
    if not code:
        request.reply("Say which body: `/dbm audit CODE`, e.g. `/dbm audit BTP`.")
        return
    deps = request.deps
    lookup = name_lookup(request.client)
    with session_scope(deps.engine) as session:
        body = body_by_code(session=session, code=code)
        if body is None:
            request.reply(f"No body has the code `{escape(code)}`. `/dbm bodies` lists them.")
            return
        query = AuditQuery(body=body, newest=LAST_ENTRIES)
        entries = find_entries(session=session, query=query, zone=deps.settings.meeting.timezone)
        names = load_names(
            session=session,
            zone=deps.settings.meeting.timezone,
            name_of=lambda user: named if (named := lookup(user)) != user else None,
        )
    text, blocks = build_body_audit(body.code, body.name, to_lines(entries, names))
    request.reply(text, blocks)


SUBCOMMANDS = (
    Subcommand(
        "audit", handle_audit_command, "a body's last 20 audit entries, in words",
        usage="CODE", chair_only=True,
    ),
)  # fmt: skip


def register(app: App) -> None:
    """Nothing to wire beyond the subcommand."""
