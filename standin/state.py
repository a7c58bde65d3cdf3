"""The stand-in's state and the helpers every Web API method shares."""

from __future__ import annotations

import copy
import itertools
import threading
from collections import deque
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from standin.arguments import (
    _CHANNEL_ID,
    _USER_ID,
    _present,
    _ts_key,
)
from standin.blockkit import (
    validate_blocks,
)
from standin.problems import (
    MARKDOWN_TEXT_MAX,
    MAX_ATTACHMENTS,
    MESSAGE_TEXT_MAX,
)
from standin.records import (
    Call,
    UploadedFile,
    _Canvas,
    _Channel,
    _error_messages,
    _Injection,
    _json_response,
    _PendingUpload,
    _Response,
    _SlackError,
)

_FIRST_TS_MICROS = 1_763_700_000_000_100
_TS_STEP = 100
_BLOCKS_ONLY_TEXT = "This content can't be displayed."


class SlackState:
    """Workspace state (users, channels, messages, views, uploads) behind one lock."""

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
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ts_micros = _FIRST_TS_MICROS
        # Message timestamps follow this clock (seconds since the epoch) when it is set, as
        # Slack's follow real time; unset, they count up from a fixed instant.
        self.clock: Callable[[], float] | None = None
        # Where apps.connections.open sends a Socket Mode client (tests/rig/fake_socket_mode.py
        # serves it); unset, Socket Mode is not on for the app.
        self.socket_mode_url: str | None = None
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
        self._canvases: dict[str, _Canvas] = {}
        self._channel_canvases: dict[str, str] = {}  # channel id -> its channel canvas
        self._bookmarks: dict[str, list[dict[str, Any]]] = {}
        self._scopes: frozenset[str] | None = None  # None: every scope granted
        self.plan = "paid"  # "free": Slack's free plan, which limits canvases
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}

    @property
    def root_url(self) -> str:
        """Server root, e.g. http://127.0.0.1:54321."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context")
        return f"http://127.0.0.1:{self._server.server_port}"

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def _take_fault(self, method: str) -> _Injection | None:
        """The next injection for `method` if it is one where Slack acts before it fails."""
        queue = self._injections.get(method)
        if queue and queue[0].kind in ("acted_then_error", "acted_then_slow"):
            return queue.popleft()
        return None

    def _take_injection(self, method: str) -> _Response | None:
        queue = self._injections.get(method)
        if not queue:
            return None
        injection = queue.popleft()
        if injection.kind == "pass":
            return None
        if injection.kind == "rate_limit":
            body = {"ok": False, "error": "ratelimited"}
            return _json_response(body, 429, **{"Retry-After": str(injection.retry_after)})
        if injection.kind == "server_error":
            return _json_response({"ok": False, "error": "fatal_error"}, injection.status)
        return _json_response({"ok": False, "error": injection.error})

    # ---- id / ts helpers -----------------------------------------------------------

    def _new_ts(self) -> str:
        if self.clock is not None:
            self._ts_micros = max(self._ts_micros, int(self.clock() * 1_000_000))
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
        keys = (
            "ts", "thread_ts", "text", "blocks", "metadata", "attachments", "files", "user",
            "bot_id",
        )  # fmt: skip
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
