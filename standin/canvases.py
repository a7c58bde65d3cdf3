"""canvases.* and conversations.canvases.create of the stand-in.

Modelled on the method pages at docs.slack.dev (the 2020 OpenAPI spec predates canvases):
- `canvases.create` makes a standalone canvas owned by the caller; with `channel_id` it is
  tabbed in that channel with write access for its members. Free teams must give `channel_id`
  (`free_teams_cannot_create_non_tabbed_canvases`) and cannot edit standalone canvases
  (`free_teams_cannot_edit_standalone_canvases`).
- `conversations.canvases.create` makes the one channel canvas of a channel
  (`channel_canvas_already_exists` for a second).
- `canvases.edit` applies one change per call ("Only one operation per API call is currently
  supported"): insert_at_start, insert_at_end, insert_after, insert_before, replace, delete,
  or rename with `title_content`. Section ids are Slack's `temp:C:...` ids and, as in Slack,
  are issued afresh after every edit, so a caller looks them up before each targeted change.
- `canvases.sections.lookup` finds sections by `section_types` (h1, h2, h3, any_header) and/or
  `contains_text`; criteria with neither are refused.
- A deleted or unknown canvas answers `canvas_not_found`.

The stand-in treats each line of markdown as one section (Slack gives every block element its
own section). Where a page names no error code for a malformed argument, the stand-in answers
Slack's generic `invalid_arguments` with a `[json-pointer:...]` message, as for Block Kit.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from standin.arguments import _CHANNEL_ID, _USER_ID, _present, _ts_key
from standin.records import _Canvas, _error_messages, _SlackError
from standin.state import SlackState

MARKDOWN_MAX = 1_048_576  # "The markdown content is limited to 1 MiB"
CONTENT_OPERATIONS = (
    "insert_after", "insert_before", "insert_at_start", "insert_at_end", "replace", "delete",
)  # fmt: skip
_NEEDS_SECTION = frozenset({"insert_after", "insert_before", "delete"})
SECTION_TYPES = frozenset({"h1", "h2", "h3", "any_header"})
ACCESS_LEVELS = ("read", "write", "owner")
_HEADER = re.compile(r"^(#{1,3}) ")


def _invalid(message: str, pointer: str) -> _SlackError:
    problems = [f"{message} [json-pointer:{pointer}]"]
    return _SlackError("invalid_arguments", response_metadata=_error_messages(problems))


def header_level(line: str) -> str | None:
    """The heading level ("h1", "h2" or "h3") of a markdown line, else None."""
    match = _HEADER.match(line)
    return f"h{len(match[1])}" if match else None


def _markdown_lines(content: Any, pointer: str) -> list[str]:
    if not isinstance(content, dict) or content.get("type") != "markdown":
        raise _invalid('must be {"type": "markdown", "markdown": "..."}', pointer)
    markdown = content.get("markdown")
    if not isinstance(markdown, str):
        raise _invalid("must provide a string", f"{pointer}/markdown")
    if len(markdown) > MARKDOWN_MAX:
        raise _invalid(f"must be less than {MARKDOWN_MAX + 1} characters", f"{pointer}/markdown")
    return markdown.split("\n")


class CanvasMethods(SlackState):
    """Canvases: create, edit, delete, share and find sections."""

    # ---- helpers -------------------------------------------------------------------

    def _renumber(self, canvas: _Canvas) -> None:
        canvas.section_ids = [
            f"temp:C:VDBM{next(self._ids):024d}" if line.strip() else "" for line in canvas.lines
        ]

    def _new_canvas(self, args: dict[str, Any], **where: Any) -> _Canvas:
        lines: list[str] = []
        if args.get("document_content") is not None:
            lines = _markdown_lines(args["document_content"], "/document_content")
        canvas = _Canvas(
            self._new_id("F"), str(args.get("title") or ""), _ts_key(self._new_ts())[0], lines
        )
        canvas.tab_channel = where.get("tab_channel")
        canvas.channel_canvas = bool(where.get("channel_canvas"))
        if canvas.tab_channel:
            canvas.access[canvas.tab_channel] = "write"
        self._renumber(canvas)
        self._canvases[canvas.canvas_id] = canvas
        return canvas

    def _canvas(self, args: dict[str, Any]) -> _Canvas:
        canvas = self._canvases.get(str(args["canvas_id"]))
        if canvas is None or canvas.deleted:
            raise _SlackError("canvas_not_found")
        return canvas

    @staticmethod
    def _channel_arg(args: dict[str, Any]) -> str:
        channel = str(args["channel_id"])
        if not _CHANNEL_ID.fullmatch(channel) or channel.startswith("D"):
            raise _SlackError("channel_not_found")
        return channel

    # ---- create / delete -------------------------------------------------------------

    def _canvases_create(self, args: dict[str, Any]) -> dict[str, Any]:
        if not _present(args.get("channel_id")):
            if self.plan == "free":
                raise _SlackError("free_teams_cannot_create_non_tabbed_canvases")
            return {"canvas_id": self._new_canvas(args).canvas_id}
        channel = self._channel_arg(args)
        return {"canvas_id": self._new_canvas(args, tab_channel=channel).canvas_id}

    def _conversations_canvases_create(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_arg(args)
        if channel in self._channel_canvases:
            raise _SlackError("channel_canvas_already_exists")
        canvas = self._new_canvas(args, tab_channel=channel, channel_canvas=True)
        self._channel_canvases[channel] = canvas.canvas_id
        return {"canvas_id": canvas.canvas_id}

    def _canvases_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas = self._canvas(args)
        canvas.deleted = True
        if canvas.channel_canvas and canvas.tab_channel:
            self._channel_canvases.pop(canvas.tab_channel, None)
        return {}

    # ---- edit ----------------------------------------------------------------------

    def _canvases_edit(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas = self._canvas(args)
        if self.plan == "free" and canvas.tab_channel is None:
            raise _SlackError("free_teams_cannot_edit_standalone_canvases")
        changes = args["changes"]
        if not isinstance(changes, list) or not changes:
            raise _invalid("must provide a non-empty array", "/changes")
        if len(changes) > 1:
            raise _invalid("only one operation per call is supported", "/changes")
        self._apply(canvas, changes[0])
        self._renumber(canvas)
        return {}

    def _apply(self, canvas: _Canvas, change: Any) -> None:
        if not isinstance(change, dict):
            raise _invalid("must be an object", "/changes/0")
        operation = change.get("operation")
        if operation == "rename":
            title = _markdown_lines(change.get("title_content"), "/changes/0/title_content")
            canvas.title = " ".join(title).strip()
            return
        if operation not in CONTENT_OPERATIONS:
            choices = ", ".join((*CONTENT_OPERATIONS, "rename"))
            raise _invalid(f"must be one of: {choices}", "/changes/0/operation")
        index = self._section_index(canvas, change, str(operation))
        new = [] if operation == "delete" else self._change_lines(change)
        canvas.lines = self._edited(canvas.lines, str(operation), index, new)

    @staticmethod
    def _change_lines(change: dict[str, Any]) -> list[str]:
        if "document_content" not in change:
            raise _invalid("missing required field: document_content", "/changes/0")
        return _markdown_lines(change["document_content"], "/changes/0/document_content")

    @staticmethod
    def _section_index(canvas: _Canvas, change: dict[str, Any], operation: str) -> int | None:
        section = change.get("section_id")
        if not section:
            if operation in _NEEDS_SECTION:
                raise _invalid("missing required field: section_id", "/changes/0")
            return None
        if section not in canvas.section_ids:
            raise _SlackError("canvas_editing_failed")  # no such section (any more)
        return canvas.section_ids.index(section)

    @staticmethod
    def _edited(lines: list[str], operation: str, index: int | None, new: list[str]) -> list[str]:
        if operation == "insert_at_start":
            return new + lines
        if operation == "insert_at_end":
            return lines + new
        if index is None:  # replace without a section: the whole canvas
            return new
        after = index + 1 if operation in ("insert_after", "replace", "delete") else index
        before = index if operation in ("insert_before", "replace", "delete") else after
        return lines[:before] + new + lines[after:]

    # ---- access / sections -------------------------------------------------------------

    def _canvases_access_set(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas = self._canvas(args)
        level = str(args["access_level"])
        if level not in ACCESS_LEVELS:
            raise _invalid(f"must be one of: {', '.join(ACCESS_LEVELS)}", "/access_level")
        channels, users = _ids(args.get("channel_ids")), _ids(args.get("user_ids"))
        if bool(channels) == bool(users):
            raise _SlackError("invalid_parameters")  # one of channel_ids or user_ids, not both
        for channel in channels:
            if not _CHANNEL_ID.fullmatch(channel) or channel.startswith("D"):
                raise _SlackError("channel_not_found")
        for user in users:
            if not _USER_ID.fullmatch(user):
                raise _SlackError("user_not_found")
        if channels and level == "owner":
            raise _invalid("owner can only be given to users", "/access_level")
        for entity in (*channels, *users):
            canvas.access[entity] = level
        return {}

    def _canvases_sections_lookup(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas = self._canvas(args)
        types, text = _criteria(args["criteria"])
        found = [
            {"id": section}
            for section, line in zip(canvas.section_ids, canvas.lines, strict=True)
            if section and _matches(line, types, text)
        ]
        return {"sections": found}

    # ---- test-facing reads -------------------------------------------------------------

    def canvas(self, canvas_id: str) -> dict[str, Any]:
        """A canvas as the test sees it: title, markdown, access, where it is tabbed, deleted."""
        with self._lock:
            canvas = self._canvases[canvas_id]
            return {
                "canvas_id": canvas.canvas_id,
                "title": canvas.title,
                "markdown": "\n".join(canvas.lines),
                "access": copy.deepcopy(canvas.access),
                "tab_channel": canvas.tab_channel,
                "channel_canvas": canvas.channel_canvas,
                "deleted": canvas.deleted,
            }

    def canvases(self) -> list[dict[str, Any]]:
        """Every canvas ever created (deleted ones included), oldest first."""
        with self._lock:
            ids = list(self._canvases)
        return [self.canvas(canvas_id) for canvas_id in ids]


def _ids(raw: Any) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, list):
        return [str(item) for item in raw]
    return [part.strip() for part in str(raw).split(",") if part.strip()]


def _criteria(raw: Any) -> tuple[frozenset[str] | None, str | None]:
    if not isinstance(raw, dict):
        raise _invalid("must be an object", "/criteria")
    types, text = raw.get("section_types"), raw.get("contains_text")
    if types is None and not text:
        raise _invalid("must provide section_types or contains_text", "/criteria")
    if types is not None and (
        not isinstance(types, list) or not 1 <= len(types) <= 3 or not set(types) <= SECTION_TYPES
    ):
        raise _invalid("must be 1 to 3 of: any_header, h1, h2, h3", "/criteria/section_types")
    if text is not None and not isinstance(text, str):
        raise _invalid("must provide a string", "/criteria/contains_text")
    return (frozenset(types) if types is not None else None), (text or None)


def _matches(line: str, types: frozenset[str] | None, text: str | None) -> bool:
    level = header_level(line)
    if types is not None and not (level in types or (level and "any_header" in types)):
        return False
    return text is None or text.casefold() in line.casefold()
