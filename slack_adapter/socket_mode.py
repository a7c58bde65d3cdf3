"""Socket Mode with a watchdog: a connection that has silently died is noticed and replaced.

slack_sdk's built-in client pings every `ping_interval` seconds and drops a connection whose last
pong is older than four intervals, then reconnects (auto_reconnect_enabled). It skips that check
until the first pong arrives, and it cannot see a peer that vanished without closing (reads
return nothing, writes go into the kernel's buffer). The watchdog closes both gaps: if nothing at
all (no envelope, no pong to its own pings) was heard for `silence_limit` seconds, it logs one
warning and connects to a new endpoint.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.builtin.connection import Connection

log = logging.getLogger(__name__)

PING_INTERVAL = 10.0  # the SDK's own pings; it drops a connection after 4 unanswered (40 s)
SILENCE_LIMIT = 60.0  # the watchdog's limit: nothing heard for this long means dead
CHECK_EVERY = 15.0  # how often the watchdog looks (and pings)


@dataclass
class _Seen:
    session_id: str
    at: float


class Watchdog:
    """Replaces a Socket Mode connection that has been silent for too long."""

    def __init__(
        self,
        client: SocketModeClient,
        *,
        clock: Callable[[], float] = time.time,
        silence_limit: float = SILENCE_LIMIT,
    ) -> None:
        self.client = client
        self.clock = clock
        self.silence_limit = silence_limit
        self.reconnects = 0
        self.last_message = float("-inf")
        self._seen: _Seen | None = None
        self._down_since: float | None = None

    def note_message(self, _message: str) -> None:
        """An envelope (or hello) arrived: the connection is alive."""
        self.last_message = self.clock()
        session = self.client.current_session
        if session is not None:
            self._note_session(session, self.last_message)

    def _note_session(self, session: Connection, now: float) -> None:
        if self._seen is None or self._seen.session_id != session.session_id:
            self._seen = _Seen(session.session_id, now)  # a new connection gets a full limit

    def _last_heard(self, session: Connection, now: float) -> float:
        self._note_session(session, now)
        assert self._seen is not None
        pong = session.last_ping_pong_time or float("-inf")
        return max(self._seen.at, self.last_message, pong)

    def check(self) -> bool:
        """Look at the connection once; True if it was found dead and replaced."""
        if self.client.closed:
            return False
        now = self.clock()
        session = self.client.current_session
        if session is None or not session.is_active():
            self._down_since = now if self._down_since is None else self._down_since
            return self._replace_if(now - self._down_since, "closed and not reopened")
        self._down_since = None
        if self._replace_if(now - self._last_heard(session, now), "silent"):
            return True
        try:
            # The SDK echoes this payload back as last_ping_pong_time, in this clock's terms.
            session.ping(f"{session.session_id}:{now}")
        except OSError:
            return self._replace_if(float("inf"), "refusing pings")
        return False

    def _replace_if(self, seconds: float, state: str) -> bool:
        if seconds <= self.silence_limit:
            return False
        log.warning(
            "Socket Mode connection %s for over %d s (no envelopes, no pongs): reconnecting",
            state,
            int(self.silence_limit),
        )
        self.reconnects += 1
        self._seen, self._down_since = None, None
        try:
            self.client.connect_to_new_endpoint(force=True)
        except Exception as exc:  # the network may still be down: the next check tries again
            log.error("Socket Mode reconnect failed: %s", exc.__class__.__name__)
        return True


def make_handler(
    app: App, app_token: str, web_client: WebClient | None = None
) -> SocketModeHandler:
    """Bolt's Socket Mode handler on the built-in client, configured deliberately."""
    return SocketModeHandler(
        app,
        app_token,
        web_client=web_client,
        auto_reconnect_enabled=True,  # reconnect on a close frame or a stale pong
        ping_interval=PING_INTERVAL,
        concurrency=10,
    )


def watch(
    handler: SocketModeHandler,
    *,
    clock: Callable[[], float] = time.time,
    silence_limit: float = SILENCE_LIMIT,
) -> Watchdog:
    """A watchdog fed by every message the handler's client receives."""
    watchdog = Watchdog(handler.client, clock=clock, silence_limit=silence_limit)
    handler.client.on_message_listeners.append(watchdog.note_message)
    return watchdog


def stop(handler: SocketModeHandler) -> None:
    """Close the connection and the client's threads promptly."""
    handler.client.closed = True
    handler.client.message_queue.put(None)  # wakes the message processor so it sees `closed`
    handler.close()  # type: ignore[no-untyped-call]


def serve_socket_mode(
    app: App,
    app_token: str,
    *,
    until: threading.Event | None = None,
    web_client: WebClient | None = None,
) -> None:
    """Connect and serve until `until` is set (or the process is interrupted)."""
    handler = make_handler(app, app_token, web_client)
    watchdog = watch(handler)
    handler.connect()  # type: ignore[no-untyped-call]
    log.info("connected to Slack in Socket Mode; watchdog limit %d s", int(SILENCE_LIMIT))
    until = until or threading.Event()
    try:
        while not until.wait(CHECK_EVERY):
            watchdog.check()
    finally:
        stop(handler)
