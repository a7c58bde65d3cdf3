"""What the stand-in records (calls, uploads) and its internal request/response types."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


@dataclass
class Call:
    """One request the fake received."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.time)  # when it arrived (seconds since the epoch)


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
    # "pass" (answer as usual), "fail", "rate_limit", "server_error", or the faults where Slack
    # acted and the caller cannot tell: "acted_then_error" (done, answered with a 5xx) and
    # "acted_then_slow" (done, answered only after `delay` seconds, past the caller's timeout)
    kind: str
    error: str = ""
    retry_after: int = 1
    status: int = 503
    delay: float = 0.0


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
class _Canvas:
    """A canvas: its markdown one line per section (Slack gives every block element a section)."""

    canvas_id: str
    title: str
    created: int
    lines: list[str] = field(default_factory=list)
    section_ids: list[str] = field(default_factory=list)
    access: dict[str, str] = field(default_factory=dict)  # channel or user id -> read | write
    tab_channel: str | None = None  # the channel it is tabbed in (canvases.create channel_id)
    channel_canvas: bool = False  # made by conversations.canvases.create
    deleted: bool = False


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
    delay: float = 0.0  # seconds to wait before answering (outside the fake's lock)


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
