"""A body's audit trail as an ephemeral reply to a chair (`/dbm audit CODE`)."""

from __future__ import annotations

from blocks.digest import Line, pack_sections
from blocks.text import Block, context, escape, header
from meeting.audit_trail import AuditLine


def build_body_audit(code: str, name: str, lines: list[AuditLine]) -> tuple[str, list[Block]]:
    """The entries about a body, newest first: when (UK time), who, and what changed."""
    title = f"Audit trail: {code}"
    if not lines:
        text = f"No audit entries about {code} ({name}) yet."
        return text, [header(title), context(escape(text))]
    text = f"{title}: the last {len(lines)} entries, newest first."
    entries = [
        Line(f"*{escape(line.when)}* · {escape(line.who)}\n{escape(line.what)}") for line in lines
    ]
    lead = [header(title), context(f"{escape(name)} · the last {len(lines)} entries, newest first")]
    return text, [*lead, *pack_sections(entries)]
