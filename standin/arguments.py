"""What the stand-in's Web API methods require, and how it reads request arguments."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from standin.records import (
    _SlackError,
)

_T = TypeVar("_T")

# --------------------------------------------------------------------------------------
# Arguments Slack really requires (the OpenAPI spec under-reports these; see README).
# Each inner tuple is a group: at least one argument of the group must be present.
# --------------------------------------------------------------------------------------

_CONTENT = ("text", "blocks", "attachments", "markdown_text")

REQUIRED_ARGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "auth.test": (),
    "apps.connections.open": (),  # Socket Mode (docs.slack.dev; the 2020 spec predates it)
    "team.info": (),
    "chat.postMessage": (("channel",), _CONTENT),
    "chat.postEphemeral": (("channel",), ("user",), _CONTENT),
    "chat.update": (("channel",), ("ts",)),
    "chat.delete": (("channel",), ("ts",)),
    "chat.getPermalink": (("channel",), ("message_ts",)),
    "conversations.info": (("channel",),),
    "conversations.members": (("channel",),),
    "conversations.replies": (("channel",), ("ts",)),
    "conversations.history": (("channel",),),
    "conversations.open": (("users", "channel"),),
    "users.info": (("user",),),
    "usergroups.users.list": (("usergroup",),),
    "reactions.add": (("channel",), ("name",), ("timestamp",)),
    "reactions.remove": (("channel",), ("name",), ("timestamp",)),
    "pins.add": (("channel",), ("timestamp",)),
    "pins.remove": (("channel",), ("timestamp",)),
    "pins.list": (("channel",),),
    "views.open": (("trigger_id", "interactivity_pointer"), ("view",)),
    "views.push": (("trigger_id", "interactivity_pointer"), ("view",)),
    "views.update": (("view",), ("view_id", "external_id")),
    "views.publish": (("user_id",), ("view",)),
    "files.getUploadURLExternal": (("filename",), ("length",)),
    "files.completeUploadExternal": (("files",),),
    "files.info": (("file",),),
    # Canvases and bookmarks (docs.slack.dev method pages; the 2020 spec predates them).
    "canvases.create": (),
    "canvases.edit": (("canvas_id",), ("changes",)),
    "canvases.delete": (("canvas_id",),),
    "canvases.access.set": (("canvas_id",), ("access_level",)),
    "canvases.sections.lookup": (("canvas_id",), ("criteria",)),
    "conversations.canvases.create": (("channel_id",),),
    "bookmarks.add": (("channel_id",), ("title",), ("type",)),
    "bookmarks.edit": (("channel_id",), ("bookmark_id",)),
    "bookmarks.list": (("channel_id",),),
}

# Slack's specific error for a missing argument, keyed by the group's first name.
_MISSING_DEFAULT = {"channel": "channel_not_found", "channel_id": "channel_not_found"}
_MISSING_BY_METHOD: dict[str, dict[str, str]] = {
    "chat.postMessage": {"text": "no_text"},
    "chat.postEphemeral": {"text": "no_text"},
    "conversations.open": {"users": "users_list_not_supplied"},
    "reactions.add": {"channel": "no_item_specified", "timestamp": "no_item_specified"},
    "reactions.remove": {"channel": "no_item_specified", "timestamp": "no_item_specified"},
    "pins.add": {"timestamp": "no_item_specified"},
    "pins.remove": {"timestamp": "no_item_specified"},
    "files.info": {"file": "file_not_found"},
}

# Args sent as JSON-encoded strings in form posts; decoded before recording.
_JSON_ARGS = (
    "blocks", "attachments", "view", "metadata", "files",
    "document_content", "changes", "criteria", "channel_ids", "user_ids",
)  # fmt: skip


# --------------------------------------------------------------------------------------
# Request parsing helpers
# --------------------------------------------------------------------------------------

_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")
_USER_ID = re.compile(r"[UW][A-Z0-9]+")
_TS = re.compile(r"\d{10}\.\d{6}")
_PRETTY_TYPES = {
    "xlsx": "Excel Spreadsheet",
    "csv": "CSV",
    "pdf": "PDF",
    "txt": "Plain Text",
    "png": "PNG",
    "docx": "Word Document",
}
_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header_param(value: str, name: str) -> str | None:
    match = re.search(rf'(?:^|;)\s*{name}=(?:"([^"]*)"|([^;\s]+))', value)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


@dataclass
class _Part:
    name: str | None
    filename: str | None
    content: bytes


def _multipart_parts(content_type: str, body: bytes) -> list[_Part]:
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        return []
    parts: list[_Part] = []
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        disposition = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, val = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = val
        parts.append(
            _Part(
                _header_param(disposition, "name"),
                _header_param(disposition, "filename"),
                content.removesuffix(b"\r\n"),
            )
        )
    return parts


def _decode_json_args(args: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str):
            try:
                args[key] = json.loads(value)
            except ValueError:
                pass  # left as a string; the handler answers with Slack's format error
    return args


def _loads_or_none(raw: str | bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _int_arg(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds or 0), int(micros or 0)


def _encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        kind, _, offset = base64.b64decode(str(cursor)).decode().partition(":")
        if kind == "offset":
            return int(offset)
    except ValueError:
        pass
    raise _SlackError("invalid_cursor")


def _paginate(items: list[_T], args: dict[str, Any], default: int = 100) -> tuple[list[_T], str]:
    limit = _int_arg(args.get("limit"), default)
    limit = default if limit <= 0 else min(limit, 1000)
    start = _decode_cursor(args.get("cursor"))
    end = start + limit
    return items[start:end], (_encode_cursor(end) if end < len(items) else "")


def _tz_fields(tz: str) -> dict[str, Any]:
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return {"tz": tz, "tz_label": tz, "tz_offset": 0}
    abbr = now.tzname() or tz
    labels = {"GMT": "Greenwich Mean Time", "BST": "British Summer Time", "UTC": "UTC"}
    offset = now.utcoffset()
    return {
        "tz": tz,
        "tz_label": labels.get(abbr, abbr),
        "tz_offset": int(offset.total_seconds()) if offset else 0,
    }
