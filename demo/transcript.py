"""The transcript: what people did and what the bot posted, as plain text.

The bot's output is read back from the Web API calls the stand-in recorded, so the transcript
shows what Slack would have shown: messages and thread replies (Block Kit rendered with
`blocks.text.blocks_to_text`), edits, ephemeral replies only one person sees, reactions, DMs and
uploads. Calls that only read (users.info, conversations.info...) are left out.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from typing import Any, TextIO

from blocks.text import blocks_to_text
from standin import Call, FakeSlack

INDENT = "      "
REPLY_LINES = 14  # a longer ephemeral reply (the digest so far) is cut in the transcript
DM_LINES = 5  # a direct message this short is shown whole (a question, a notice)
# What a header edit shows: the roll call, the carried demands' count, the closed note.
HEADER_PARTS = ("dbm_times", "dbm_demands", "dbm_closed")
SILENT = frozenset(
    {
        "auth.test", "team.info", "users.info", "conversations.info", "conversations.members",
        "conversations.history", "conversations.replies", "conversations.open",
        "usergroups.users.list", "chat.getPermalink", "files.getUploadURLExternal",
        "file_upload", "pins.list",
    }
)  # fmt: skip


MENTION = re.compile(r"<([@#])([A-Z0-9]+)(?:\|[^>]*)?>")


def _body_text(args: dict[str, Any], names: dict[str, str]) -> str:
    blocks = args.get("blocks")
    text = blocks_to_text(blocks) if isinstance(blocks, list) and blocks else ""
    text = MENTION.sub(
        lambda m: "@" + names.get(m[2], m[2]) if m[1] == "@" else "#dbm-national",
        text or str(args.get("text") or ""),
    )
    return html.unescape(text)


def _first_line(text: str, limit: int = 90) -> str:
    line = (text.splitlines() or [""])[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _indent(text: str, limit: int = 0) -> str:
    lines = text.splitlines() or [""]
    if limit and len(lines) > limit:
        lines = [*lines[:limit], f"(… {len(lines) - limit} more lines)"]
    return "\n".join(INDENT + line for line in lines)


class Transcript:
    """Collects lines; renders the stand-in's new calls after each step."""

    def __init__(self, fake: FakeSlack, names: dict[str, str], *, out: TextIO | None = None):
        self.fake, self.names, self.out = fake, names, out
        self.lines: list[str] = []
        self.stamp = "     "
        self._seen = 0
        self._renderers: dict[str, Callable[[Call, str], str | None]] = {
            "chat.postMessage": self._posted,
            "chat.update": self._updated,
            "chat.postEphemeral": self._ephemeral,
            "response_url": self._response,
            "reactions.add": lambda call, actor: f"   bot reacts :{call.args.get('name')}:",
            "pins.add": lambda call, actor: "   bot pins the message",
            "files.completeUploadExternal": self._uploaded,
            "views.publish": lambda call, actor: None,
        }

    def say(self, line: str) -> None:
        """Add a line (and print it unless quiet)."""
        self.lines.append(line)
        if self.out is not None:
            print(line, file=self.out)

    def act(self, text: str) -> None:
        """A line of something someone (or the scheduler) did, stamped with the local time."""
        self.say(f"{self.stamp} {text}")

    def name(self, user_id: str) -> str:
        """@handle of a user id."""
        return "@" + self.names.get(user_id, user_id)

    def skip_pending(self) -> None:
        """Forget calls so far (set-up that the transcript summarises instead)."""
        self._seen = len(self.fake.calls)

    def flush(self, actor: str = "") -> None:
        """Render the calls the bot made since the last flush; `actor` is who the step was."""
        calls = self.fake.calls
        for call in calls[self._seen :]:
            render = self._renderers.get(call.method)
            if render is None:
                if call.method not in SILENT:
                    self.say(f"   bot calls {call.method}")
                continue
            line = render(call, actor)
            if line:
                self.say(line)
        self._seen = len(calls)

    def _posted(self, call: Call, actor: str) -> str:
        channel, args = str(call.args.get("channel", "")), call.args
        if channel.startswith(("U", "W", "D")):
            text = _body_text(args, self.names)
            if len(text.splitlines()) <= DM_LINES:
                return f"   bot → DM to {self.name(channel)}:\n{_indent(text)}"
            return f"   bot → DM to {self.name(channel)}: {_first_line(text)}"
        where = "in the thread" if args.get("thread_ts") else "in the channel"
        return f"   bot posts {where}:\n{_indent(_body_text(args, self.names))}"

    def _updated(self, call: Call, actor: str) -> str:
        blocks = call.args.get("blocks") or []
        shown = [b for b in blocks if isinstance(b, dict) and b.get("block_id") in HEADER_PARTS]
        if shown:  # the briefing header: only what changes in it
            text = _body_text({"blocks": shown}, self.names)
            lines = [line for line in text.splitlines() if not line.startswith(("•", "and "))]
            lines = [line for line in lines if "UK time" not in line]
            return "   bot updates the header: " + " · ".join(lines)
        return f"   bot edits a message it posted:\n{_indent(_body_text(call.args, self.names), 4)}"

    def _ephemeral(self, call: Call, actor: str) -> str:
        user = self.name(str(call.args.get("user", "")))
        return f"   bot → only {user} sees:\n{_indent(_body_text(call.args, self.names))}"

    def _response(self, call: Call, actor: str) -> str:
        text = _indent(_body_text(call.args, self.names), REPLY_LINES)
        return f"   bot → only {actor or 'the sender'} sees:\n{text}"

    def _uploaded(self, call: Call, actor: str) -> str:
        files = call.args.get("files") or [{}]
        title = files[0].get("title", "a file") if isinstance(files, list) else "a file"
        comment = html.unescape(str(call.args.get("initial_comment") or ""))
        return f"   bot uploads “{title}” to the channel:\n{_indent(comment)}"


def stdout_or_none(quiet: bool) -> TextIO | None:
    """Where the transcript is printed as it happens (nowhere when quiet)."""
    return None if quiet else sys.stdout
