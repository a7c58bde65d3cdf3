"""A local fake of Slack's Web API for tests.

`FakeSlack` is a real HTTP server on 127.0.0.1 (ephemeral port) that answers the Web API
methods the bot uses, records every call, keeps enough state (messages, reactions, pins,
views, uploads) to answer follow-up reads, and can be told to fail. Point a
`slack_sdk.WebClient` at `fake.base_url`.

Where Slack's 2020 OpenAPI spec is wrong or silent (see shared/slack-specs/README.md), the
fake follows Slack's current documented behaviour:

- Required arguments come from `REQUIRED_ARGS`, not the spec's `required` flags.
- `pins.remove` of an unpinned item answers `no_pin` (current docs), not `not_pinned`.
- A token inside a JSON body is ignored (Slack wants JSON callers to use the
  Authorization header), so such a call answers `not_authed`.
- `conversations.history` / `.replies` include message `metadata` only when
  `include_all_metadata` is true, as Slack does.
- Block Kit limits (which no spec here lists) are checked by `validate_blocks` and
  `validate_view`; problems are phrased like Slack's `[json-pointer:...]` messages.

Stdlib only: it must not import the project or need shared/ at runtime.
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import mimetypes
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "REQUIRED_ARGS",
    "Call",
    "FakeSlack",
    "UploadedFile",
    "validate_blocks",
    "validate_view",
]

_T = TypeVar("_T")

# --------------------------------------------------------------------------------------
# Arguments Slack really requires (the OpenAPI spec under-reports these; see README).
# Each inner tuple is a group: at least one argument of the group must be present.
# --------------------------------------------------------------------------------------

_CONTENT = ("text", "blocks", "attachments", "markdown_text")

REQUIRED_ARGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "auth.test": (),
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
}

# Slack's specific error for a missing argument, keyed by the group's first name.
_MISSING_DEFAULT = {"channel": "channel_not_found"}
_MISSING_BY_METHOD: dict[str, dict[str, str]] = {
    "chat.postMessage": {"text": "no_text"},
    "chat.postEphemeral": {"text": "no_text"},
    "conversations.open": {"users": "users_list_not_supplied"},
    "reactions.add": {"channel": "no_item_specified", "timestamp": "no_item_specified"},
    "reactions.remove": {"channel": "no_item_specified", "timestamp": "no_item_specified"},
    "pins.add": {"timestamp": "no_item_specified"},
    "pins.remove": {"timestamp": "no_item_specified"},
}

# Args sent as JSON-encoded strings in form posts; decoded before recording.
_JSON_ARGS = ("blocks", "attachments", "view", "metadata", "files")

# --------------------------------------------------------------------------------------
# Block Kit limits (docs.slack.dev Block Kit reference)
# --------------------------------------------------------------------------------------

SURFACE_MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MESSAGE_TEXT_MAX = 40_000
MARKDOWN_TEXT_MAX = 12_000
MAX_ATTACHMENTS = 100
MODAL_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3000
ID_MAX = 255  # block_id, action_id, callback_id, external_id

_SELECTS = frozenset(
    f"{prefix}{kind}_select"
    for prefix in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
)
_INTERACTIVE = frozenset(
    {"button", "checkboxes", "datepicker", "timepicker", "overflow", "radio_buttons"}
    | {"workflow_button"}
    | _SELECTS
)
_SECTION_ACCESSORIES = _INTERACTIVE | {"image"}
_ACTIONS_ELEMENTS = _INTERACTIVE | {"datetimepicker"}
_INPUT_ELEMENTS = (_INTERACTIVE - {"button", "overflow", "workflow_button"}) | {
    "datetimepicker",
    "plain_text_input",
    "email_text_input",
    "url_text_input",
    "number_input",
    "rich_text_input",
    "file_input",
}
_ALL_SURFACES = frozenset(SURFACE_MAX_BLOCKS)
_BLOCK_SURFACES: dict[str, frozenset[str]] = {
    "section": _ALL_SURFACES,
    "divider": _ALL_SURFACES,
    "header": _ALL_SURFACES,
    "image": _ALL_SURFACES,
    "actions": _ALL_SURFACES,
    "context": _ALL_SURFACES,
    "input": _ALL_SURFACES,
    "rich_text": _ALL_SURFACES,
    "video": _ALL_SURFACES,
    "file": frozenset({"message"}),
    "markdown": frozenset({"message"}),
}


class _Problems:
    """Collects Block Kit problems as Slack-style `message [json-pointer:/path]` strings."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str, pointer: str) -> None:
        """Record one problem at a JSON pointer."""
        self.items.append(f"{message} [json-pointer:{pointer}]")

    def string(
        self, owner: dict[str, Any], name: str, pointer: str, limit: int, *, required: bool = False
    ) -> None:
        """Check an optional (or required) string field's type and length."""
        value = owner.get(name)
        if value is None:
            if required:
                self.add(f"missing required field: {name}", pointer)
            return
        if not isinstance(value, str):
            self.add("must provide a string", f"{pointer}/{name}")
        elif len(value) > limit:
            self.add(f"must be less than {limit + 1} characters", f"{pointer}/{name}")

    def array(self, value: Any, pointer: str, maximum: int, minimum: int = 0) -> list[Any]:
        """Check an array's type and size; return its items (empty if not an array)."""
        if not isinstance(value, list):
            self.add("must be an array", pointer)
            return []
        if len(value) > maximum:
            self.add(f"no more than {maximum} items allowed", pointer)
        if len(value) < minimum:
            self.add(f"must provide at least {minimum} items", pointer)
        return value

    def text(self, obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> None:
        """Check a text composition object."""
        if not isinstance(obj, dict):
            self.add("must be an object", pointer)
            return
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.add(f"must be one of: {', '.join(allowed)}", f"{pointer}/type")
        value = obj.get("text")
        if not isinstance(value, str):
            self.add("must provide a string", f"{pointer}/text")
        elif not value:
            self.add("must be more than 0 characters", f"{pointer}/text")
        elif len(value) > limit:
            self.add(f"must be less than {limit + 1} characters", f"{pointer}/text")

    def text_field(
        self,
        owner: dict[str, Any],
        name: str,
        pointer: str,
        limit: int,
        *,
        plain_only: bool = False,
        required: bool = False,
    ) -> None:
        """Check a text object held in `owner[name]`."""
        if name not in owner:
            if required:
                self.add(f"missing required field: {name}", pointer)
            return
        self.text(owner[name], f"{pointer}/{name}", limit, plain_only=plain_only)


def _check_confirm(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    confirm = element.get("confirm")
    if confirm is None:
        return
    ptr = f"{pointer}/confirm"
    if not isinstance(confirm, dict):
        p.add("must be an object", ptr)
        return
    p.text_field(confirm, "title", ptr, 100, plain_only=True, required=True)
    p.text_field(confirm, "text", ptr, 300, required=True)
    p.text_field(confirm, "confirm", ptr, 30, plain_only=True, required=True)
    p.text_field(confirm, "deny", ptr, 30, plain_only=True, required=True)


def _check_option(p: _Problems, option: Any, pointer: str, *, plain_only: bool) -> None:
    if not isinstance(option, dict):
        p.add("must be an object", pointer)
        return
    p.text_field(option, "text", pointer, 75, plain_only=plain_only, required=True)
    p.string(option, "value", pointer, 150, required=True)
    p.text_field(option, "description", pointer, 75, plain_only=plain_only)
    p.string(option, "url", pointer, 3000)


def _check_options(
    p: _Problems, element: dict[str, Any], pointer: str, maximum: int, *, plain_only: bool
) -> None:
    options = p.array(element.get("options"), f"{pointer}/options", maximum, minimum=1)
    for i, option in enumerate(options):
        _check_option(p, option, f"{pointer}/options/{i}", plain_only=plain_only)


def _check_button(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "text", pointer, 75, plain_only=True, required=True)
    p.string(element, "value", pointer, 2000)
    p.string(element, "url", pointer, 3000)
    p.string(element, "accessibility_label", pointer, 75)
    if element.get("style") not in (None, "primary", "danger"):
        p.add("must be one of: primary, danger", f"{pointer}/style")


def _check_workflow_button(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "text", pointer, 75, plain_only=True, required=True)
    if not isinstance(element.get("workflow"), dict):
        p.add("missing required field: workflow", pointer)


def _check_select(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "placeholder", pointer, 150, plain_only=True)
    if element["type"].removeprefix("multi_") != "static_select":
        return
    if "options" in element and "option_groups" in element:
        p.add("must provide either options or option_groups, not both", pointer)
    elif "option_groups" in element:
        groups = p.array(element["option_groups"], f"{pointer}/option_groups", 100, minimum=1)
        for i, group in enumerate(groups):
            ptr = f"{pointer}/option_groups/{i}"
            if isinstance(group, dict):
                p.text_field(group, "label", ptr, 75, plain_only=True, required=True)
                _check_options(p, group, ptr, 100, plain_only=True)
            else:
                p.add("must be an object", ptr)
    elif "options" in element:
        _check_options(p, element, pointer, 100, plain_only=True)
    else:
        p.add("missing required field: options", pointer)


def _check_text_input(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "placeholder", pointer, 150, plain_only=True)
    for name in ("min_length", "max_length"):
        value = element.get(name)
        if value is not None and (not isinstance(value, int) or not 0 <= value <= 3000):
            p.add("must be an integer between 0 and 3000", f"{pointer}/{name}")


def _check_image_element(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.string(element, "alt_text", pointer, 2000, required=True)
    p.string(element, "image_url", pointer, 3000)
    if "image_url" not in element and "slack_file" not in element:
        p.add("missing required field: image_url", pointer)


def _check_placeholder(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "placeholder", pointer, 150, plain_only=True)


_ELEMENT_CHECKS: dict[str, Callable[[_Problems, dict[str, Any], str], None]] = {
    "button": _check_button,
    "workflow_button": _check_workflow_button,
    "overflow": lambda p, e, ptr: _check_options(p, e, ptr, 5, plain_only=True),
    "checkboxes": lambda p, e, ptr: _check_options(p, e, ptr, 10, plain_only=False),
    "radio_buttons": lambda p, e, ptr: _check_options(p, e, ptr, 10, plain_only=False),
    "plain_text_input": _check_text_input,
    "image": _check_image_element,
    **dict.fromkeys(_SELECTS, _check_select),
    **dict.fromkeys(
        ("datepicker", "timepicker", "email_text_input", "url_text_input", "number_input"),
        _check_placeholder,
    ),
}


def _check_element(p: _Problems, element: Any, pointer: str, allowed: frozenset[str]) -> None:
    if not isinstance(element, dict):
        p.add("must be an object", pointer)
        return
    kind = element.get("type")
    if kind not in allowed:
        p.add(f"unsupported element type: {kind}", f"{pointer}/type")
        return
    p.string(element, "action_id", pointer, ID_MAX)
    _check_confirm(p, element, pointer)
    check = _ELEMENT_CHECKS.get(str(kind))
    if check is not None:
        check(p, element, pointer)


def _check_section(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    if "text" not in block and "fields" not in block:
        p.add("must provide text or fields", pointer)
    p.text_field(block, "text", pointer, 3000)
    if "fields" in block:
        fields = p.array(block["fields"], f"{pointer}/fields", 10, minimum=1)
        for i, item in enumerate(fields):
            p.text(item, f"{pointer}/fields/{i}", 2000)
    if "accessory" in block:
        _check_element(p, block["accessory"], f"{pointer}/accessory", _SECTION_ACCESSORIES)


def _check_actions(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    elements = p.array(block.get("elements"), f"{pointer}/elements", 25, minimum=1)
    seen: set[str] = set()
    for i, element in enumerate(elements):
        _check_element(p, element, f"{pointer}/elements/{i}", _ACTIONS_ELEMENTS)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in seen:
                p.add(f"duplicate action_id: {action_id}", f"{pointer}/elements/{i}/action_id")
            seen.add(action_id)


def _check_context(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    elements = p.array(block.get("elements"), f"{pointer}/elements", 10, minimum=1)
    for i, element in enumerate(elements):
        ptr = f"{pointer}/elements/{i}"
        if isinstance(element, dict) and element.get("type") == "image":
            _check_image_element(p, element, ptr)
        else:
            p.text(element, ptr, 3000)


def _check_input(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.text_field(block, "label", pointer, 2000, plain_only=True, required=True)
    p.text_field(block, "hint", pointer, 2000, plain_only=True)
    if "element" not in block:
        p.add("missing required field: element", pointer)
    else:
        _check_element(p, block["element"], f"{pointer}/element", _INPUT_ELEMENTS)


def _check_image_block(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    _check_image_element(p, block, pointer)
    p.text_field(block, "title", pointer, 2000, plain_only=True)


def _check_video(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.text_field(block, "title", pointer, 200, plain_only=True, required=True)
    for name in ("alt_text", "thumbnail_url", "video_url"):
        p.string(block, name, pointer, 3000, required=True)


def _check_header(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.text_field(block, "text", pointer, 150, plain_only=True, required=True)


def _check_rich_text(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.array(block.get("elements"), f"{pointer}/elements", 10_000)


def _check_file(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.string(block, "external_id", pointer, ID_MAX, required=True)
    p.string(block, "source", pointer, ID_MAX, required=True)


def _check_markdown(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.string(block, "text", pointer, MARKDOWN_TEXT_MAX, required=True)


_BLOCK_CHECKS: dict[str, Callable[[_Problems, dict[str, Any], str], None]] = {
    "section": _check_section,
    "actions": _check_actions,
    "context": _check_context,
    "input": _check_input,
    "image": _check_image_block,
    "video": _check_video,
    "header": _check_header,
    "rich_text": _check_rich_text,
    "file": _check_file,
    "markdown": _check_markdown,
    "divider": lambda p, b, ptr: None,
}


def _check_block(p: _Problems, block: Any, pointer: str, surface: str) -> None:
    if not isinstance(block, dict):
        p.add("must be an object", pointer)
        return
    kind = block.get("type")
    if kind not in _BLOCK_SURFACES:
        p.add(f"unsupported block type: {kind}", f"{pointer}/type")
        return
    if surface not in _BLOCK_SURFACES[str(kind)]:
        p.add(f"block type {kind} is not allowed in a {surface}", f"{pointer}/type")
    p.string(block, "block_id", pointer, ID_MAX)
    _BLOCK_CHECKS[str(kind)](p, block, pointer)


def validate_blocks(
    blocks: list[dict[str, Any]], *, surface: str, pointer: str = "/blocks"
) -> list[str]:
    """Return Slack-style problems with `blocks` on a surface (message, modal, home)."""
    if surface not in SURFACE_MAX_BLOCKS:
        raise ValueError(f"unknown surface {surface!r}; use one of {sorted(SURFACE_MAX_BLOCKS)}")
    p = _Problems()
    items = p.array(blocks, pointer, SURFACE_MAX_BLOCKS[surface])
    block_ids: set[str] = set()
    markdown_chars = 0
    for i, block in enumerate(items):
        _check_block(p, block, f"{pointer}/{i}", surface)
        if not isinstance(block, dict):
            continue
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                p.add(f"duplicate block_id: {block_id}", f"{pointer}/{i}/block_id")
            block_ids.add(block_id)
        if block.get("type") == "markdown" and isinstance(block.get("text"), str):
            markdown_chars += len(block["text"])
    if markdown_chars > MARKDOWN_TEXT_MAX:
        p.add(f"markdown blocks must total less than {MARKDOWN_TEXT_MAX + 1} characters", pointer)
    return p.items


def _has_input_block(blocks: Any) -> bool:
    return isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )


def validate_view(view: Any, *, allowed_types: Iterable[str] = ("modal", "home")) -> list[str]:
    """Return Slack-style problems with a modal or home view object."""
    p = _Problems()
    pointer = "/view"
    allowed = tuple(allowed_types)
    if not isinstance(view, dict):
        p.add("must be an object", pointer)
        return p.items
    kind = view.get("type")
    if kind not in allowed:
        p.add(f"must be one of: {', '.join(allowed)}", f"{pointer}/type")
        return p.items
    if kind == "modal":
        p.text_field(view, "title", pointer, MODAL_TITLE_MAX, plain_only=True, required=True)
        p.text_field(view, "close", pointer, MODAL_TITLE_MAX, plain_only=True)
        p.text_field(view, "submit", pointer, MODAL_TITLE_MAX, plain_only=True)
        if "submit" not in view and _has_input_block(view.get("blocks")):
            p.add("missing required field: submit (the view has input blocks)", pointer)
    p.string(view, "private_metadata", pointer, PRIVATE_METADATA_MAX)
    p.string(view, "callback_id", pointer, ID_MAX)
    p.string(view, "external_id", pointer, ID_MAX)
    if "blocks" not in view:
        p.add("missing required field: blocks", pointer)
    else:
        p.items.extend(
            validate_blocks(view["blocks"], surface=str(kind), pointer=f"{pointer}/blocks")
        )
    return p.items


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


@dataclass
class Call:
    """One request the fake received."""

    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class UploadedFile:
    """A file whose upload was completed with files.completeUploadExternal."""

    file_id: str
    filename: str
    title: str
    content: bytes
    channel_id: str | None
    initial_comment: str | None
    thread_ts: str | None


@dataclass
class _Injection:
    kind: str  # "fail", "rate_limit" or "server_error"
    error: str = ""
    retry_after: int = 1
    status: int = 503


@dataclass
class _Channel:
    channel_id: str
    name: str
    is_private: bool
    is_ext_shared: bool
    connected_team_ids: list[str] | None
    members: list[str] | None


@dataclass
class _PendingUpload:
    file_id: str
    filename: str
    length: int
    alt_txt: str | None
    content: bytes | None = None


@dataclass
class _Request:
    verb: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class _SlackError(Exception):
    """Raised by method handlers; becomes `{"ok": false, "error": ...}`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def _json_response(data: dict[str, Any], status: int = 200, **headers: str) -> _Response:
    return _Response(status, json.dumps(data).encode("utf-8"), headers=dict(headers))


def _error_messages(problems: list[str]) -> dict[str, Any]:
    return {"messages": [f"[ERROR] {problem}" for problem in problems]}


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


# --------------------------------------------------------------------------------------
# HTTP server plumbing
# --------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        """Serve a GET request."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST request."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        request = _Request(
            verb=self.command,
            path=parts.path,
            query=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        server = self.server
        assert isinstance(server, _Server)
        try:
            response = server.fake._handle_http(request)
        except Exception as exc:  # a bug in the fake: say so instead of dropping the socket
            detail = f"{type(exc).__name__}: {exc}"
            response = _json_response(
                {"ok": False, "error": "fake_slack_bug", "detail": detail}, 500
            )
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)


# --------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------

_FIRST_TS_MICROS = 1_763_700_000_000_100
_TS_STEP = 100
_BLOCKS_ONLY_TEXT = "This content can't be displayed."


class FakeSlack:
    """Local fake of Slack's Web API: records calls, keeps state, injects failures."""

    def __init__(
        self, *, team_id: str = "T0DBM", bot_user_id: str = "UBOT", bot_id: str = "BBOT"
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = "A0DBMAPP01"
        self.team_name = "National Crime Agency"
        self.team_domain = "nca-dbm"
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ts_micros = _FIRST_TS_MICROS
        self._ids = itertools.count(1)
        self._calls: list[Call] = []
        self._injections: dict[str, deque[_Injection]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, _Channel] = {}
        self._usergroups: dict[str, list[str]] = {}
        self._dms: dict[str, str] = {}
        self._messages: dict[str, dict[str, dict[str, Any]]] = {}
        self._reactions: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._pins: dict[str, list[str]] = {}
        self._uploads: dict[str, _PendingUpload] = {}
        self._uploaded: list[UploadedFile] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._external_ids: dict[str, str] = {}
        self._home_views: dict[str, str] = {}
        self._published: dict[str, list[dict[str, Any]]] = {}
        self._opened: list[dict[str, Any]] = []
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "team.info": self._team_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.replies": self._conversations_replies,
            "conversations.history": self._conversations_history,
            "conversations.open": self._conversations_open,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroups_users_list,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "pins.add": self._pins_add,
            "pins.remove": self._pins_remove,
            "pins.list": self._pins_list,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }
        self.add_user(bot_user_id, name="dbm-bot", real_name="DBM Bot", is_bot=True)

    # ---- lifecycle ---------------------------------------------------------------

    def start(self) -> FakeSlack:
        """Start serving on 127.0.0.1 with an ephemeral port."""
        if self._server is None:
            self._server = _Server(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.005},
                name="fake-slack",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._server = None
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """Server root, e.g. http://127.0.0.1:54321."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context")
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def base_url(self) -> str:
        """Web API base URL for slack_sdk (ends with /api/)."""
        return f"{self.root_url}/api/"

    # ---- call records --------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """All calls in arrival order (a copy)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """Calls to one method, in arrival order."""
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least `count` calls to `method` arrived; return them."""
        with self._changed:
            arrived = self._changed.wait_for(
                lambda: len(self.calls_to(method)) >= count, timeout=timeout
            )
            if not arrived:
                seen = [call.method for call in self._calls]
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} call(s) to {method!r}; "
                    f"got {len(self.calls_to(method))}. Calls so far: {seen}"
                )
            return self.calls_to(method)

    def reset_calls(self) -> None:
        """Forget recorded calls (state such as messages is kept)."""
        with self._lock:
            self._calls.clear()

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    # ---- failure injection ---------------------------------------------------------

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """Make the next `times` calls to `method` answer 200 {"ok": false, "error": error}."""
        self._inject(method, _Injection("fail", error=error), times)

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """Make the next `times` calls answer HTTP 429 with a Retry-After header."""
        self._inject(method, _Injection("rate_limit", retry_after=retry_after), times)

    def server_error(self, method: str, *, status: int = 503, times: int = 1) -> None:
        """Make the next `times` calls answer with an HTTP 5xx status."""
        self._inject(method, _Injection("server_error", status=status), times)

    def _inject(self, method: str, injection: _Injection, times: int) -> None:
        with self._lock:
            self._injections.setdefault(method, deque()).extend([injection] * times)

    def _take_injection(self, method: str) -> _Response | None:
        queue = self._injections.get(method)
        if not queue:
            return None
        injection = queue.popleft()
        if injection.kind == "rate_limit":
            body = {"ok": False, "error": "ratelimited"}
            return _json_response(body, 429, **{"Retry-After": str(injection.retry_after)})
        if injection.kind == "server_error":
            return _json_response({"ok": False, "error": "fatal_error"}, injection.status)
        return _json_response({"ok": False, "error": injection.error})

    # ---- seeding -------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str = "",
        team_id: str | None = None,
        is_bot: bool = False,
        real_name: str = "",
        tz: str = "Europe/London",
    ) -> None:
        """Register a user for users.info."""
        handle = name or user_id.lower()
        full_name = real_name or handle
        team = team_id or self.team_id
        profile = self._user_profile(user_id, handle, full_name, team, is_bot=is_bot)
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": team,
            "name": handle,
            "deleted": False,
            "color": "9f69e7",
            "real_name": full_name,
            **_tz_fields(tz),
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": 1_763_000_000,
            "is_email_confirmed": not is_bot,
            "who_can_share_contact_card": "EVERYONE",
        }
        with self._lock:
            self._users[user_id] = user

    def _user_profile(
        self, user_id: str, handle: str, full_name: str, team: str, *, is_bot: bool
    ) -> dict[str, Any]:
        first, _, last = full_name.partition(" ")
        images = {
            f"image_{n}": f"https://avatars.example.invalid/{user_id}_{n}.png"
            for n in (24, 32, 48, 72, 192, 512)
        }
        profile: dict[str, Any] = {
            "title": "",
            "phone": "",
            "skype": "",
            "real_name": full_name,
            "real_name_normalized": full_name,
            "display_name": handle,
            "display_name_normalized": handle,
            "status_text": "",
            "status_emoji": "",
            "status_expiration": 0,
            "avatar_hash": "g0123456789a",
            "first_name": first,
            "last_name": last,
            "team": team,
            **images,
        }
        if is_bot:
            profile.update(bot_id=self.bot_id, api_app_id=self.app_id, always_active=True)
        else:
            profile["email"] = f"{handle}@nca.gov.uk"
        return profile

    def set_channel(
        self,
        channel_id: str,
        *,
        name: str = "dbm",
        is_private: bool = True,
        is_ext_shared: bool = False,
        connected_team_ids: list[str] | None = None,
        members: list[str] | None = None,
    ) -> None:
        """Register a channel's properties for conversations.info and .members."""
        channel = _Channel(channel_id, name, is_private, is_ext_shared, connected_team_ids, members)
        with self._lock:
            self._channels[channel_id] = channel

    def set_usergroup(self, usergroup_id: str, users: list[str]) -> None:
        """Register a user group's members for usergroups.users.list."""
        with self._lock:
            self._usergroups[usergroup_id] = list(users)

    def add_message(
        self, channel: str, *, user: str, text: str, thread_ts: str | None = None
    ) -> str:
        """Seed a message by a human; return its ts."""
        with self._lock:
            message: dict[str, Any] = {
                "type": "message",
                "ts": self._new_ts(),
                "user": user,
                "text": text,
                "team": self._users.get(user, {}).get("team_id", self.team_id),
                "blocks": [self._rich_text_block(text)],
            }
            self._attach_thread(channel, message, thread_ts)
            self._messages.setdefault(channel, {})[message["ts"]] = message
            return str(message["ts"])

    def response_url(self, key: str = "r") -> str:
        """A response_url whose POSTs are recorded as Call(method="response_url")."""
        return f"{self.root_url}/response/{key}"

    # ---- state reads ---------------------------------------------------------------

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Current messages the bot posted in `channel`, in ts order."""
        with self._lock:
            found = [m for m in self._sorted(channel) if m.get("bot_id") == self.bot_id]
            return [self._summary(m) for m in found]

    def replies(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """Every message in a thread (parent first, any author), in ts order."""
        with self._lock:
            thread = [
                m
                for m in self._sorted(channel)
                if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts
            ]
            return [self._summary(m) for m in thread]

    def reactions(self, channel: str, ts: str) -> list[str]:
        """Reaction names currently on a message."""
        with self._lock:
            return list(self._reactions.get((channel, ts), {}))

    def pins(self, channel: str) -> list[str]:
        """ts of the messages pinned in `channel`, in pin order."""
        with self._lock:
            return list(self._pins.get(channel, []))

    def uploaded_files(self) -> list[UploadedFile]:
        """Uploads completed with files.completeUploadExternal."""
        with self._lock:
            return list(self._uploaded)

    def published_views(self, user_id: str) -> list[dict[str, Any]]:
        """The views (as sent) that views.publish published for a user, oldest first."""
        with self._lock:
            return copy.deepcopy(self._published.get(user_id, []))

    def opened_views(self) -> list[dict[str, Any]]:
        """The views (as sent) passed to views.open and views.push, oldest first."""
        with self._lock:
            return copy.deepcopy(self._opened)

    # ---- HTTP dispatch -------------------------------------------------------------

    def _handle_http(self, request: _Request) -> _Response:
        with self._lock:
            if request.path.startswith("/api/"):
                return self._handle_api(request, request.path[len("/api/") :])
            if request.path.startswith("/upload/") and request.verb == "POST":
                return self._handle_upload(request, request.path[len("/upload/") :])
            if request.path.startswith("/response/") and request.verb == "POST":
                return self._handle_response_url(request, request.path[len("/response/") :])
            return _Response(404, b"not found", "text/plain; charset=utf-8")

    def _handle_api(self, request: _Request, method: str) -> _Response:
        token = self._header_token(request)
        try:
            args, form_token = self._request_args(request)
        except _SlackError as exc:
            self._record(Call(method, {}, token))
            return _json_response({"ok": False, "error": exc.error})
        token = token or form_token
        self._record(Call(method, copy.deepcopy(args), token))
        injected = self._take_injection(method)
        if injected is not None:
            return injected
        try:
            data = self._run_method(method, args, token)
        except _SlackError as exc:
            return _json_response({"ok": False, "error": exc.error, **exc.extra})
        return _json_response({"ok": True, **data})

    def _run_method(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        handler = self._handlers.get(method)
        if handler is None:
            raise _SlackError("unknown_method", req_method=method)
        if not token:
            raise _SlackError("not_authed")
        if not token.startswith(("xoxb-", "xoxp-")):
            raise _SlackError("invalid_auth")
        self._check_required(method, args)
        return handler(args)

    @staticmethod
    def _header_token(request: _Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        return value.strip()

    @staticmethod
    def _request_args(request: _Request) -> tuple[dict[str, Any], str | None]:
        """Merge query and body args; return (args, token given as a form/query arg)."""
        args: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True))
        content_type = request.headers.get("content-type", "").lower()
        body_is_json = content_type.startswith("application/json")
        if body_is_json and request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                raise _SlackError("invalid_json") from None
            if not isinstance(body, dict):
                raise _SlackError("json_not_object")
            body.pop("token", None)  # Slack ignores a token inside a JSON body
            args.update(body)
        elif content_type.startswith("multipart/form-data"):
            for part in _multipart_parts(request.headers["content-type"], request.body):
                if part.name and part.filename is None:
                    args[part.name] = part.content.decode("utf-8", "replace")
        elif request.body:
            args.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        token = args.pop("token", None)
        return _decode_json_args(args), (str(token) if token else None)

    def _check_required(self, method: str, args: dict[str, Any]) -> None:
        for group in REQUIRED_ARGS.get(method, ()):
            if any(_present(args.get(name)) for name in group):
                continue
            first = group[0]
            error = _MISSING_BY_METHOD.get(method, {}).get(first) or _MISSING_DEFAULT.get(first)
            if error:
                raise _SlackError(error)
            missing = " or ".join(group)
            raise _SlackError(
                "invalid_arguments",
                response_metadata={"messages": [f"[ERROR] missing required field: {missing}"]},
            )

    def _handle_upload(self, request: _Request, file_id: str) -> _Response:
        content = request.body
        args: dict[str, Any] = {"file_id": file_id}
        content_type = request.headers.get("content-type", "")
        if content_type.lower().startswith("multipart/form-data"):
            files = [p for p in _multipart_parts(content_type, request.body) if p.filename]
            content = files[0].content if files else b""
            args["filename"] = files[0].filename if files else None
        args["size"] = len(content)
        self._record(Call("file_upload", args, self._header_token(request)))
        injected = self._take_injection("file_upload")
        if injected is not None:
            return injected
        pending = self._uploads.get(file_id)
        if pending is None:
            return _Response(404, b"upload not found", "text/plain; charset=utf-8")
        pending.content = content
        return _Response(200, f"OK - {len(content)}".encode(), "text/plain; charset=utf-8")

    def _handle_response_url(self, request: _Request, key: str) -> _Response:
        body = _loads_or_none(request.body or b"{}")
        if body is None:
            form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
            body = _loads_or_none(form["payload"]) if "payload" in form else form
        args = dict(body) if isinstance(body, dict) else {"_body": body}
        args["_key"] = key
        self._record(Call("response_url", _decode_json_args(args), None))
        injected = self._take_injection("response_url")
        return injected if injected is not None else _json_response({"ok": True})

    # ---- id / ts helpers -----------------------------------------------------------

    def _new_ts(self) -> str:
        micros = self._ts_micros
        self._ts_micros += _TS_STEP
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}0DBM{next(self._ids):06d}"

    def _new_hash(self) -> str:
        return f"{self._ts_micros // 1_000_000}.{next(self._ids):08x}"

    # ---- message helpers -----------------------------------------------------------

    @staticmethod
    def _rich_text_block(text: str) -> dict[str, Any]:
        section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
        return {"type": "rich_text", "block_id": "seed", "elements": [section]}

    def _sorted(self, channel: str) -> list[dict[str, Any]]:
        return sorted(self._messages.get(channel, {}).values(), key=lambda m: _ts_key(m["ts"]))

    @staticmethod
    def _summary(message: dict[str, Any]) -> dict[str, Any]:
        keys = ("ts", "thread_ts", "text", "blocks", "metadata", "attachments", "user", "bot_id")
        summary = {k: copy.deepcopy(message[k]) for k in keys if k in message}
        summary.setdefault("bot_id", None)
        return summary

    def _attach_thread(self, channel: str, message: dict[str, Any], thread_ts: Any) -> None:
        if not thread_ts:
            return
        message["thread_ts"] = str(thread_ts)
        parent = self._messages.get(channel, {}).get(str(thread_ts))
        if parent is not None:
            message["parent_user_id"] = parent["user"]

    def _find_message(self, channel: str, ts: Any) -> dict[str, Any]:
        message = self._messages.get(channel, {}).get(str(ts))
        if message is None:
            raise _SlackError("message_not_found")
        return message

    def _bot_profile(self) -> dict[str, Any]:
        icons = {
            f"image_{n}": f"https://avatars.example.invalid/{self.bot_id}_{n}.png"
            for n in (36, 48, 72)
        }
        return {
            "id": self.bot_id,
            "deleted": False,
            "name": "dbm-bot",
            "updated": 1_763_000_000,
            "app_id": self.app_id,
            "icons": icons,
            "team_id": self.team_id,
        }

    def _api_message(
        self, channel: str, message: dict[str, Any], *, metadata: bool = True
    ) -> dict[str, Any]:
        """A stored message as the Web API shows it in history/replies."""
        out = copy.deepcopy(message)
        if not out.get("blocks"):
            out.pop("blocks", None)
        if not metadata:
            out.pop("metadata", None)
        reactions = self._reactions.get((channel, message["ts"]), {})
        if reactions:
            out["reactions"] = [
                {"name": name, "users": list(users), "count": len(users)}
                for name, users in reactions.items()
            ]
        if message["ts"] in self._pins.get(channel, []):
            out["pinned_to"] = [channel]
        replies = [
            m
            for m in self._sorted(channel)
            if m.get("thread_ts") == message["ts"] and m["ts"] != message["ts"]
        ]
        if replies:
            users = list(dict.fromkeys(m["user"] for m in replies))
            out.update(
                thread_ts=message["ts"],
                reply_count=len(replies),
                reply_users=users,
                reply_users_count=len(users),
                latest_reply=replies[-1]["ts"],
                subscribed=False,
            )
        return out

    def _check_content(self, args: dict[str, Any]) -> None:
        """Validate text, blocks, attachments and metadata the way chat.* methods do."""
        text = args.get("text")
        if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
            raise _SlackError("msg_too_long")
        markdown_text = args.get("markdown_text")
        if isinstance(markdown_text, str) and len(markdown_text) > MARKDOWN_TEXT_MAX:
            raise _SlackError("msg_too_long")  # no dedicated error is documented
        if "blocks" in args:
            self._check_message_blocks(args["blocks"])
        attachments = args.get("attachments")
        if attachments is not None:
            if not isinstance(attachments, list):
                raise _SlackError("invalid_attachments")
            if len(attachments) > MAX_ATTACHMENTS:
                raise _SlackError("too_many_attachments")
        if "metadata" in args:
            self._check_metadata(args["metadata"])

    @staticmethod
    def _check_message_blocks(blocks: Any) -> None:
        if not isinstance(blocks, list):
            raise _SlackError("invalid_blocks_format")
        problems = validate_blocks(blocks, surface="message")
        if problems:
            raise _SlackError(
                "invalid_blocks", errors=problems, response_metadata=_error_messages(problems)
            )

    @staticmethod
    def _check_metadata(metadata: Any) -> None:
        if not isinstance(metadata, dict):
            raise _SlackError("invalid_metadata_format")
        if not isinstance(metadata.get("event_type"), str) or not isinstance(
            metadata.get("event_payload"), dict
        ):
            raise _SlackError("invalid_metadata_schema")

    def _post_target(self, channel: str) -> str:
        """Resolve a chat.postMessage channel (ID, user ID or #name) to a channel ID."""
        if _USER_ID.fullmatch(channel):
            return self._dm_for(channel)
        if _CHANNEL_ID.fullmatch(channel):
            return channel
        name = channel.removeprefix("#")
        for known in self._channels.values():
            if known.name == name:
                return known.channel_id
        raise _SlackError("channel_not_found")

    @staticmethod
    def _channel_id(args: dict[str, Any]) -> str:
        channel = str(args["channel"])
        if not _CHANNEL_ID.fullmatch(channel):
            raise _SlackError("channel_not_found")
        return channel

    def _dm_for(self, user_id: str) -> str:
        if user_id not in self._dms:
            self._dms[user_id] = self._new_id("D")
        return self._dms[user_id]

    # ---- auth / team ---------------------------------------------------------------

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": "dbm-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _team_info(self, args: dict[str, Any]) -> dict[str, Any]:
        team_id = str(args.get("team") or self.team_id)
        icon = {
            f"image_{n}": f"https://avatars.example.invalid/{team_id}_{n}.png"
            for n in (34, 44, 68, 88, 102, 132, 230)
        }
        home = team_id == self.team_id
        return {
            "team": {
                "id": team_id,
                "name": self.team_name if home else f"Partner {team_id}",
                "domain": self.team_domain if home else team_id.lower(),
                "email_domain": "nca.gov.uk" if home else "",
                "icon": {**icon, "image_default": True},
                "avatar_base_url": "https://ca.slack-edge.com/",
                "is_verified": False,
            }
        }

    # ---- chat.* --------------------------------------------------------------------

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._post_target(str(args["channel"]))
        self._check_content(args)
        message = self._bot_message(args)
        self._attach_thread(channel, message, args.get("thread_ts"))
        if message.get("thread_ts") and _flag(args.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        self._messages.setdefault(channel, {})[message["ts"]] = message
        return {
            "channel": channel,
            "ts": message["ts"],
            "message": self._api_message(channel, message),
        }

    def _bot_message(self, args: dict[str, Any]) -> dict[str, Any]:
        text = args.get("text")
        if not _present(text):
            text = str(args.get("markdown_text") or "") or (
                _BLOCKS_ONLY_TEXT if _present(args.get("blocks")) else ""
            )
        message: dict[str, Any] = {
            "type": "message",
            "ts": self._new_ts(),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": str(text),
            "team": self.team_id,
            "bot_profile": self._bot_profile(),
            "blocks": copy.deepcopy(args.get("blocks") or []),
        }
        for key in ("attachments", "metadata"):
            if key in args:
                message[key] = copy.deepcopy(args[key])
        return message

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._post_target(str(args["channel"]))
        self._check_content(args)
        known = self._channels.get(channel)
        if known is not None and known.members is not None and args["user"] not in known.members:
            raise _SlackError("user_not_in_channel")
        return {"message_ts": self._new_ts()}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["ts"])
        if message.get("bot_id") != self.bot_id:
            raise _SlackError("cant_update_message")
        if not any(_present(args.get(k)) for k in (*_CONTENT, "metadata")) and "blocks" not in args:
            raise _SlackError("no_text")
        self._check_content(args)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = copy.deepcopy(args[key])
        if "text" not in args and _present(args.get("blocks")):
            message["text"] = _BLOCKS_ONLY_TEXT if not message.get("text") else message["text"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": self._api_message(channel, message),
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["ts"])
        if message.get("bot_id") != self.bot_id:
            raise _SlackError("cant_delete_message")
        del self._messages[channel][message["ts"]]
        self._reactions.pop((channel, message["ts"]), None)
        if message["ts"] in self._pins.get(channel, []):
            self._pins[channel].remove(message["ts"])
        return {"channel": channel, "ts": message["ts"]}

    def _chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["message_ts"])
        link = (
            f"https://{self.team_domain}.slack.com/archives/{channel}/"
            f"p{message['ts'].replace('.', '')}"
        )
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": link}

    # ---- conversations.* -----------------------------------------------------------

    def _conversation(self, channel_id: str, *, num_members: bool = False) -> dict[str, Any]:
        user = next((u for u, d in self._dms.items() if d == channel_id), None)
        if channel_id.startswith("D"):
            if user is None:
                raise _SlackError("channel_not_found")
            return self._im_object(channel_id, user)
        known = self._channels.get(channel_id) or _Channel(
            channel_id, f"private-{channel_id.lower()}", True, False, None, None
        )
        legacy_group = channel_id.startswith("G")
        shared = known.is_ext_shared or bool(known.connected_team_ids)
        conversation: dict[str, Any] = {
            "id": channel_id,
            "name": known.name,
            "name_normalized": known.name,
            "is_channel": not legacy_group,
            "is_group": legacy_group,
            "is_im": False,
            "is_mpim": False,
            "is_private": known.is_private,
            "created": 1_700_000_000,
            "creator": "U0DBMADMIN",
            "is_archived": False,
            "is_general": False,
            "unlinked": 0,
            "is_shared": shared,
            "is_ext_shared": known.is_ext_shared,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "shared_team_ids": [self.team_id],
            "parent_conversation": None,
            "is_member": True,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if known.connected_team_ids is not None:
            conversation["connected_team_ids"] = list(known.connected_team_ids)
        if num_members:
            conversation["num_members"] = len(self._members(channel_id))
        return conversation

    def _im_object(self, channel_id: str, user: str) -> dict[str, Any]:
        return {
            "id": channel_id,
            "created": 1_700_000_000,
            "is_im": True,
            "is_org_shared": False,
            "user": user,
            "priority": 0,
            "is_user_deleted": False,
            "context_team_id": self.team_id,
        }

    def _members(self, channel_id: str) -> list[str]:
        known = self._channels.get(channel_id)
        if known is None or known.members is None:
            return [self.bot_user_id]
        return list(known.members)

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        return {
            "channel": self._conversation(
                channel, num_members=_flag(args.get("include_num_members"))
            )
        }

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        page, cursor = _paginate(self._members(channel), args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        inclusive = _flag(args.get("inclusive"))
        oldest = _ts_key(str(args.get("oldest") or "0"))
        latest = _ts_key(str(args["latest"])) if args.get("latest") else None

        def wanted(m: dict[str, Any]) -> bool:
            top_level = (
                m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
            )
            key = _ts_key(m["ts"])
            after = key >= oldest if inclusive else key > oldest
            before = latest is None or (key <= latest if inclusive else key < latest)
            return top_level and after and before

        newest_first = [m for m in reversed(self._sorted(channel)) if wanted(m)]
        page, cursor = _paginate(newest_first, args)
        metadata = _flag(args.get("include_all_metadata"))
        result: dict[str, Any] = {
            "messages": [self._api_message(channel, m, metadata=metadata) for m in page],
            "has_more": bool(cursor),
            "pin_count": len(self._pins.get(channel, [])),
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
        if cursor:
            result["response_metadata"] = {"next_cursor": cursor}
        return result

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        anchor = self._messages.get(channel, {}).get(str(args["ts"]))
        if anchor is None:
            raise _SlackError("thread_not_found")
        root = anchor.get("thread_ts") or anchor["ts"]
        thread = [m for m in self._sorted(channel) if m["ts"] == root or m.get("thread_ts") == root]
        page, cursor = _paginate(thread, args, default=1000)
        metadata = _flag(args.get("include_all_metadata"))
        result: dict[str, Any] = {
            "messages": [self._api_message(channel, m, metadata=metadata) for m in page],
            "has_more": bool(cursor),
        }
        if cursor:
            result["response_metadata"] = {"next_cursor": cursor}
        return result

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if _present(args.get("channel")) and not _present(args.get("users")):
            channel = self._channel_id(args)
            return {"channel": self._conversation(channel)}
        users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
        if len(users) > 8:
            raise _SlackError("too_many_users")
        if any(not _USER_ID.fullmatch(u) for u in users):
            raise _SlackError("user_not_found")
        if len(users) > 1:
            raise _SlackError("method_not_supported_for_channel_type")  # MPIMs: not faked
        already = users[0] in self._dms
        channel = self._dm_for(users[0])
        result: dict[str, Any] = {"channel": {"id": channel}}
        if _flag(args.get("return_im")):
            result["channel"] = self._im_object(channel, users[0])
        if already:
            result.update(no_op=True, already_open=True)
        return result

    # ---- users / usergroups --------------------------------------------------------

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(args["user"]))
        if user is None:
            raise _SlackError("user_not_found")
        return {"user": copy.deepcopy(user)}

    def _usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        users = self._usergroups.get(str(args["usergroup"]))
        if users is None:
            raise _SlackError("no_such_subteam")
        return {"users": list(users)}

    # ---- reactions / pins ----------------------------------------------------------

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["timestamp"])
        names = self._reactions.setdefault((channel, message["ts"]), {})
        users = names.setdefault(str(args["name"]), [])
        if self.bot_user_id in users:
            raise _SlackError("already_reacted")
        users.append(self.bot_user_id)
        return {}

    def _reactions_remove(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["timestamp"])
        names = self._reactions.get((channel, message["ts"]), {})
        users = names.get(str(args["name"]), [])
        if self.bot_user_id not in users:
            raise _SlackError("no_reaction")
        users.remove(self.bot_user_id)
        if not users:
            del names[str(args["name"])]
        return {}

    def _pins_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["timestamp"])
        pinned = self._pins.setdefault(channel, [])
        if message["ts"] in pinned:
            raise _SlackError("already_pinned")
        pinned.append(message["ts"])
        return {}

    def _pins_remove(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        pinned = self._pins.get(channel, [])
        if str(args["timestamp"]) not in pinned:
            raise _SlackError("no_pin")
        pinned.remove(str(args["timestamp"]))
        return {}

    def _pins_list(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        items = [
            {
                "type": "message",
                "created": _ts_key(ts)[0],
                "created_by": self.bot_user_id,
                "channel": channel,
                "message": self._api_message(channel, self._messages[channel][ts]),
            }
            for ts in reversed(self._pins.get(channel, []))
        ]
        return {"items": items}

    # ---- views.* -------------------------------------------------------------------

    @staticmethod
    def _checked_view(args: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
        problems = validate_view(args["view"], allowed_types=allowed)
        if problems:
            raise _SlackError("invalid_arguments", response_metadata=_error_messages(problems))
        return dict(args["view"])

    def _store_view(
        self, view_id: str, submitted: dict[str, Any], *, previous: str | None = None
    ) -> dict[str, Any]:
        root = self._views[previous]["root_view_id"] if previous in self._views else view_id
        default_title = {"type": "plain_text", "text": "View Title", "emoji": True}
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": self.team_id,
            "type": submitted["type"],
            "title": copy.deepcopy(submitted.get("title", default_title)),
            "blocks": copy.deepcopy(submitted.get("blocks", [])),
            "close": copy.deepcopy(submitted.get("close")),
            "submit": copy.deepcopy(submitted.get("submit")),
            "private_metadata": submitted.get("private_metadata", ""),
            "callback_id": submitted.get("callback_id", ""),
            "external_id": submitted.get("external_id", ""),
            "state": {"values": {}},
            "hash": self._new_hash(),
            "clear_on_close": bool(submitted.get("clear_on_close", False)),
            "notify_on_close": bool(submitted.get("notify_on_close", False)),
            "previous_view_id": previous,
            "root_view_id": root,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        old = self._views.get(view_id)
        if old is not None and old.get("external_id"):
            self._external_ids.pop(old["external_id"], None)
        if view["external_id"]:
            self._external_ids[view["external_id"]] = view_id
        self._views[view_id] = view
        return copy.deepcopy(view)

    def _claim_external_id(self, submitted: dict[str, Any], view_id: str | None = None) -> None:
        external_id = submitted.get("external_id")
        if external_id and self._external_ids.get(external_id, view_id) != view_id:
            raise _SlackError("duplicate_external_id")

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, ("modal",))
        self._claim_external_id(submitted)
        self._opened.append(copy.deepcopy(submitted))
        return {"view": self._store_view(self._new_id("V"), submitted)}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, ("modal",))
        self._claim_external_id(submitted)
        modals = [v["id"] for v in self._views.values() if v["type"] == "modal"]
        previous = modals[-1] if modals else None
        self._opened.append(copy.deepcopy(submitted))
        return {"view": self._store_view(self._new_id("V"), submitted, previous=previous)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = str(
            args.get("view_id") or self._external_ids.get(str(args.get("external_id")), "")
        )
        current = self._views.get(view_id)
        if current is None:
            raise _SlackError("not_found")
        submitted = self._checked_view(args, (current["type"],))
        self._claim_external_id(submitted, view_id)
        if _present(args.get("hash")) and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict")
        return {"view": self._store_view(view_id, submitted, previous=current["previous_view_id"])}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, ("home",))
        user_id = str(args["user_id"])
        view_id = self._home_views.get(user_id)
        if view_id is not None and _present(args.get("hash")):
            if args["hash"] != self._views[view_id]["hash"]:
                raise _SlackError("hash_conflict")
        view_id = view_id or self._new_id("V")
        self._claim_external_id(submitted, view_id)
        self._home_views[user_id] = view_id
        self._published.setdefault(user_id, []).append(copy.deepcopy(submitted))
        return {"view": self._store_view(view_id, submitted)}

    # ---- files.* -------------------------------------------------------------------

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        length = _int_arg(args["length"], -1)
        if length < 0:
            raise _SlackError(
                "invalid_arguments",
                response_metadata=_error_messages(
                    ["length must be an integer [json-pointer:/length]"]
                ),
            )
        file_id = self._new_id("F")
        self._uploads[file_id] = _PendingUpload(
            file_id, str(args["filename"]), length, args.get("alt_txt")
        )
        return {"upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        if not isinstance(files, list) or not all(
            isinstance(f, dict) and f.get("id") for f in files
        ):
            raise _SlackError("invalid_arguments", response_metadata=_error_messages(["files"]))
        pending = [self._uploads.get(str(f["id"])) for f in files]
        if any(p is None or p.content is None for p in pending):
            raise _SlackError("file_not_found")
        targets = [c for c in str(args.get("channels") or "").split(",") if c]
        channel_id = str(args["channel_id"]) if _present(args.get("channel_id")) else None
        channel_id = channel_id or (targets[0] if targets else None)
        out = []
        for spec, upload in zip(files, pending, strict=True):
            assert upload is not None and upload.content is not None
            title = str(spec.get("title") or upload.filename)
            self._uploaded.append(
                UploadedFile(
                    upload.file_id,
                    upload.filename,
                    title,
                    upload.content,
                    channel_id,
                    args.get("initial_comment"),
                    args.get("thread_ts"),
                )
            )
            out.append(self._file_object(upload, title))
            del self._uploads[upload.file_id]
        return {"files": out}

    def _file_object(self, upload: _PendingUpload, title: str) -> dict[str, Any]:
        ext = upload.filename.rpartition(".")[2].lower() if "." in upload.filename else ""
        mime = mimetypes.guess_type(upload.filename)[0]
        mime = mime or (_XLSX_MIME if ext == "xlsx" else "application/octet-stream")
        path = f"{upload.file_id}/{upload.filename}"
        download = f"{self.team_id}-{upload.file_id}/download/{upload.filename}"
        created = _ts_key(self._new_ts())[0]
        file: dict[str, Any] = {
            "id": upload.file_id,
            "created": created,
            "timestamp": created,
            "name": upload.filename,
            "title": title,
            "mimetype": mime,
            "filetype": ext or "binary",
            "pretty_type": _PRETTY_TYPES.get(ext, ext.upper() or "Binary"),
            "user": self.bot_user_id,
            "user_team": self.team_id,
            "editable": False,
            "size": len(upload.content or b""),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"https://files.slack.com/files-pri/{self.team_id}-{path}",
            "url_private_download": f"https://files.slack.com/files-pri/{download}",
            "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{path}",
            "comments_count": 0,
            "is_starred": False,
            "shares": {},
            "channels": [],
            "groups": [],
            "ims": [],
            "has_more_shares": False,
            "has_rich_preview": False,
            "file_access": "visible",
        }
        if upload.alt_txt:
            file["alt_txt"] = upload.alt_txt
        return file
