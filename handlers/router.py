"""The /dbm subcommand table: each handler module lists its own Subcommands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from handlers.answer import tell
from service.deps import Deps
from slack_adapter.intake import Received


@dataclass
class CommandRequest:
    """A parsed /dbm invocation handed to a subcommand."""

    deps: Deps
    client: WebClient
    received: Received
    user_id: str
    channel_id: str
    trigger_id: str
    name: str
    args: str
    is_chair: bool
    team_id: str = ""

    @property
    def now(self) -> datetime:
        """When Slack sent the command (what it is timed by, also when resumed after a restart)."""
        return self.received.received_at

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """Answer the caller only (ephemeral)."""
        tell(self.client, self.received, text, blocks)


@dataclass(frozen=True)
class Subcommand:
    """One /dbm subcommand: name, who may use it, and how to call it."""

    name: str
    run: Callable[[CommandRequest], None]
    summary: str
    usage: str = ""
    chair_only: bool = False
    aliases: tuple[str, ...] = ()
    # False for subcommands that only show something: they are not stored before the ack
    # (a function of the arguments where that depends on them).
    changes: bool | Callable[[str], bool] = True

    def changes_record(self, args: str) -> bool:
        """True if running it with these arguments may change the record."""
        return self.changes(args) if callable(self.changes) else self.changes


def split_command(text: str) -> tuple[str, str]:
    """Split "/dbm" text into the lower-cased subcommand and the rest."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1].strip() if len(parts) > 1 else ""


def find(table: tuple[Subcommand, ...], name: str) -> Subcommand | None:
    """The subcommand called `name` (or one of its aliases)."""
    for sub in table:
        if name == sub.name or name in sub.aliases:
            return sub
    return None


def help_text(table: tuple[Subcommand, ...], *, is_chair: bool) -> str:
    """The lines of /dbm help that this person may use."""
    lines = ["*What you can do with /dbm*"]
    for sub in table:
        if sub.chair_only and not is_chair:
            continue
        usage = f"/dbm {sub.name}" + (f" {sub.usage}" if sub.usage else "")
        lines.append(f"• `{usage}`: {sub.summary}" + (" _(chairs)_" if sub.chair_only else ""))
    if not is_chair:
        lines.append("Chairs of the meeting have further commands.")
    return "\n".join(lines)
