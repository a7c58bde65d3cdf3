"""FakeSlack: the stand-in served over HTTP on 127.0.0.1, with its test-facing API."""

from __future__ import annotations

import copy
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from standin.arguments import (
    _tz_fields,
)
from standin.bookmarks import BookmarkMethods
from standin.canvases import CanvasMethods
from standin.chat import ChatMethods
from standin.conversations import ConversationMethods
from standin.dispatch import Dispatch
from standin.records import (
    Call,
    UploadedFile,
    _Channel,
    _Injection,
    _json_response,
    _Request,
    _Response,
)
from standin.views import ViewMethods

# What `workspace` copies: everything a Web API call reads, none of the call records.
_WORKSPACE = (
    "_ts_micros", "_users", "_channels", "_usergroups", "_dms", "_messages", "_reactions", "_pins",
    "_canvases", "_channel_canvases", "_bookmarks",
)  # fmt: skip

# --------------------------------------------------------------------------------------
# HTTP server plumbing
# --------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of the app's calls must not be refused by the backlog

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
        if response.delay:
            time.sleep(response.delay)
        try:
            self._answer(response)
        except OSError:
            pass  # the caller gave up waiting (a timeout the test asked for)

    def _answer(self, response: _Response) -> None:
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


class FakeSlack(
    Dispatch, ChatMethods, ConversationMethods, ViewMethods, CanvasMethods, BookmarkMethods
):
    """Local fake of Slack's Web API: records calls, keeps state, injects failures."""

    def __init__(
        self, *, team_id: str = "T0DBM", bot_user_id: str = "UBOT", bot_id: str = "BBOT"
    ) -> None:
        super().__init__(team_id=team_id, bot_user_id=bot_user_id, bot_id=bot_id)
        self._handlers = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
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
            "files.info": self._files_info,
            "canvases.create": self._canvases_create,
            "canvases.edit": self._canvases_edit,
            "canvases.delete": self._canvases_delete,
            "canvases.access.set": self._canvases_access_set,
            "canvases.sections.lookup": self._canvases_sections_lookup,
            "conversations.canvases.create": self._conversations_canvases_create,
            "bookmarks.add": self._bookmarks_add,
            "bookmarks.edit": self._bookmarks_edit,
            "bookmarks.list": self._bookmarks_list,
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

    # ---- failure injection ---------------------------------------------------------

    def fail(self, method: str, error: str, *, times: int = 1, after: int = 0) -> None:
        """Make `times` calls to `method` answer 200 {"ok": false, "error": error}: the next
        ones, or those after the next `after` (which are answered as usual)."""
        self._inject(method, _Injection("pass"), after)
        self._inject(method, _Injection("fail", error=error), times)

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """Make the next `times` calls answer HTTP 429 with a Retry-After header."""
        self._inject(method, _Injection("rate_limit", retry_after=retry_after), times)

    def server_error(self, method: str, *, status: int = 503, times: int = 1) -> None:
        """Make the next `times` calls answer with an HTTP 5xx status."""
        self._inject(method, _Injection("server_error", status=status), times)

    def error_after_acting(self, method: str, *, status: int = 503, times: int = 1) -> None:
        """Make the next `times` calls do their work, then answer with an HTTP 5xx status (Slack
        acted; the caller cannot tell)."""
        self._inject(method, _Injection("acted_then_error", status=status), times)

    def slow_after_acting(self, method: str, *, seconds: float, times: int = 1) -> None:
        """Make the next `times` calls do their work, then answer only after `seconds` (a caller
        with a shorter timeout gives up, not knowing that Slack acted)."""
        self._inject(method, _Injection("acted_then_slow", delay=seconds), times)

    def _inject(self, method: str, injection: _Injection, times: int) -> None:
        with self._lock:
            self._injections.setdefault(method, deque()).extend([injection] * times)

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

    def set_scopes(self, scopes: list[str] | None) -> None:
        """Grant the token only these scopes (None: all); see standin/scopes.py."""
        with self._lock:
            self._scopes = None if scopes is None else frozenset(scopes)

    def set_plan(self, plan: str) -> None:
        """The workspace's plan: "paid" (default) or "free", which limits canvases."""
        with self._lock:
            self.plan = plan

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

    def edit_message(self, channel: str, ts: str, text: str) -> str:
        """A person edits their message (as Slack holds it afterwards); return the edit's ts."""
        with self._lock:
            message = self._messages[channel][ts]
            edited = self._new_ts()
            message.update(text=text, blocks=[self._rich_text_block(text)])
            message["edited"] = {"user": message["user"], "ts": edited}
            return edited

    def delete_message(self, channel: str, ts: str) -> None:
        """A person deletes their message: it is gone from the channel and its thread."""
        with self._lock:
            del self._messages[channel][ts]
            self._reactions.pop((channel, ts), None)

    def remove_reactions(self, channel: str, ts: str) -> None:
        """Every reaction on a message is taken off (as if it had never been added)."""
        with self._lock:
            self._reactions.pop((channel, ts), None)

    def response_url(self, key: str = "r") -> str:
        """A response_url whose POSTs are recorded as Call(method="response_url")."""
        return f"{self.root_url}/response/{key}"

    def workspace(self) -> dict[str, Any]:
        """A copy of the workspace (users, channels, messages, reactions, pins) that another
        stand-in, in another process, can be seeded with (see `seed_workspace`)."""
        with self._lock:
            return copy.deepcopy({name: getattr(self, name) for name in _WORKSPACE})

    def seed_workspace(self, workspace: dict[str, Any]) -> None:
        """Take over a workspace copied from another stand-in with `workspace`."""
        with self._lock:
            for name in _WORKSPACE:
                setattr(self, name, copy.deepcopy(workspace[name]))

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
