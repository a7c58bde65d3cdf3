"""/dbm audit CODE: a chair asks for the last entries of the audit trail about a body."""

from __future__ import annotations

from slack_bolt import App

from blocks.audit import build_body_audit
from blocks.text import escape
from handlers.listen import Listeners
from handlers.router import CommandRequest, Subcommand
from service.audit import body_audit

LAST_ENTRIES = 20


def handle_audit_command(request: CommandRequest) -> None:
    """Reply with a body's last 20 audit entries, in words, people named from Slack."""
    code = request.args.strip().split(maxsplit=1)[0] if request.args.strip() else ""
    if not code:
        request.reply("Say which body: `/dbm audit CODE`, e.g. `/dbm audit BTP`.")
        return
    found = body_audit(request.deps, request.client, code=code, newest=LAST_ENTRIES)
    if found is None:
        request.reply(f"No body has the code `{escape(code)}`. `/dbm bodies` lists them.")
        return
    text, blocks = build_body_audit(found.code, found.name, found.lines)
    request.reply(text, blocks)


SUBCOMMANDS = (
    Subcommand(
        "audit", handle_audit_command, "a body's last 20 audit entries, in words",
        usage="CODE", chair_only=True, changes=False,
    ),
)  # fmt: skip


def register(app: App, listeners: Listeners) -> None:
    """Nothing to wire beyond the subcommand."""
