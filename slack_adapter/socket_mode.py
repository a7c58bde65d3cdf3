"""Socket Mode on slack_sdk's built-in client: a silent connection replaced, and a clean stop.

From slack-sdk 3.48 the client pings Slack every `ping_interval` seconds and closes a connection
whose last pong (or, if none ever came, its first ping) is more than four intervals old; its
monitor then opens a new connection (auto_reconnect_enabled). That also covers a peer that
vanished without closing, whose reads return nothing and whose writes go into the kernel's buffer.

The client reads frames into `message_queue`; its `message_processor` thread hands each one to
the `message_workers` pool, where Bolt runs the ack function (which commits the request first)
and then acks the envelope. A stop uses those same parts: the processor is shut down, so what
arrives from then on is never acked and Slack delivers it again; the pool is shut down and
waited for, so every envelope already taken is acked; then the connection is closed.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

log = logging.getLogger(__name__)
# The client's own log lines (connections opened, stale ones closed) go under slack_sdk, whose
# level the command line keeps at INFO or above: at DEBUG the SDK would log envelopes' text.
CLIENT_LOG = logging.getLogger("slack_sdk.socket_mode")

PING_INTERVAL = 10.0  # a connection with no pong for 4 intervals is replaced: within 40-60 s
# A stop waits at most this long (and never past its own limit) for the client to close; past
# it the process exits and the OS closes the socket.
CLOSE_SECONDS = 4.0


def make_handler(
    app: App,
    app_token: str,
    web_client: WebClient | None = None,
    *,
    ping_interval: float = PING_INTERVAL,
) -> SocketModeHandler:
    """Bolt's Socket Mode handler on the built-in client, configured deliberately."""
    return SocketModeHandler(
        app,
        app_token,
        web_client=web_client,
        logger=CLIENT_LOG,
        auto_reconnect_enabled=True,  # reconnect on a close frame or a stale connection
        ping_interval=ping_interval,
        concurrency=10,
    )


def stop(handler: SocketModeHandler) -> None:
    """Close the connection and the client's threads promptly, waiting for nothing in flight."""
    handler.client.closed = True
    handler.client.message_queue.put(None)  # wakes the message processor so it sees `closed`
    handler.close()  # type: ignore[no-untyped-call]


def stop_dispatching(client: SocketModeClient) -> None:
    """From now on no envelope is handed to the app (none is acked: Slack delivers it again)."""
    client.closed = True  # the processor's loop ends after the message in its hand, if any
    client.message_queue.put(None)  # and wakes at once if it was waiting for one
    # Joined: once this returns, nothing more is dispatched.
    client.message_processor.shutdown()  # type: ignore[no-untyped-call]


def hang_up(client: SocketModeClient) -> None:
    """End the connection at once, and let no new one be opened.

    The SDK's close waits for its reader to let go of the socket, which it holds for up to its
    receive timeout (3 s) while nothing arrives: every stop took 2.55-2.58 s longer, a restart
    that much longer without a connection (measured with the local Socket Mode server, three
    stops each way). Shutting the socket down first makes the reader's wait end at once (1 ms).
    """
    client.auto_reconnect_enabled = False  # the monitor must not replace what is closed here
    session = client.current_session
    sock = session.sock if session is not None else None
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed by Slack or the network
            sock.shutdown(socket.SHUT_RDWR)


def within(seconds: float, action: Callable[[], object]) -> bool:
    """Run `action` in a thread of its own; True if it ended within `seconds`.

    The SDK's waits (its pool's shutdown, its close) have no time limit, and a stop must end
    within the operator's DBM_STOP_SECONDS: systemd's TimeoutStopSec kills the bot after that.
    """
    thread = threading.Thread(target=action, name="stop-wait", daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


class InFlight(Protocol):
    """Counts the requests being answered (bot/gate.py's AckGate)."""

    def enter(self) -> None:
        """A request arrived."""

    def leave(self) -> None:
        """A request was answered."""


def _counted(handler: SocketModeHandler, gate: InFlight) -> None:
    """Count each envelope from its dispatch to its ack, as the HTTP server counts requests."""
    handle = handler.handle

    def counted(client: SocketModeClient, request: SocketModeRequest) -> None:
        gate.enter()
        try:
            handle(client, request)
        finally:
            gate.leave()

    listeners = handler.client.socket_mode_request_listeners
    listeners[listeners.index(handle)] = counted  # type: ignore[arg-type, assignment]


class SocketModeServer:
    """Bolt's Socket Mode handler, served until `stop`, which lets envelopes in flight be acked."""

    def __init__(
        self,
        app: App,
        app_token: str,
        web_client: WebClient | None = None,
        *,
        ping_interval: float = PING_INTERVAL,
        gate: InFlight | None = None,
    ) -> None:
        self.handler = make_handler(app, app_token, web_client, ping_interval=ping_interval)
        if gate is not None:
            _counted(self.handler, gate)
        self.stopping = threading.Event()
        self._closed = threading.Event()
        self._connecting = threading.Lock()

    @property
    def client(self) -> SocketModeClient:
        """The SDK's client."""
        return self.handler.client

    def serve(self) -> None:
        """Connect, then serve until `stop` has closed the connection."""
        with self._connecting:
            if not self.stopping.is_set():
                self.handler.connect()  # type: ignore[no-untyped-call]
                log.info(
                    "connected to Slack in Socket Mode; a connection silent for %d s is replaced",
                    int(self.client.ping_interval * 4),
                )
        self._closed.wait()

    def stop(self, timeout: float) -> bool:
        """Take no more envelopes, let those taken be acked (at most `timeout` seconds), then
        close the connection; False if some were still running."""
        started = time.monotonic()
        self.stopping.set()
        if self._connecting.acquire(timeout=timeout):  # a stop during start-up: after connecting
            self._connecting.release()
        stop_dispatching(self.client)
        workers = self.client.message_workers
        answered = within(timeout, workers.shutdown)
        if not answered:  # those not started yet are dropped unacked: Slack delivers them again
            workers.shutdown(wait=False, cancel_futures=True)
        hang_up(self.client)
        left = min(timeout - (time.monotonic() - started), CLOSE_SECONDS)
        within(max(left, 0.0), self.handler.close)
        self._closed.set()
        return answered

    def liveness(self) -> dict[str, Any]:
        """{"ok": bool, "connected": bool}: ok while the client's reader, dispatcher and monitor
        threads run, connected or reconnecting (Slack being away is not the process failing)."""
        client = self.client
        runners = [client.current_session_runner, client.message_processor]
        if client.current_app_monitor_started:
            runners.append(client.current_app_monitor)
        alive = self.stopping.is_set() or all(runner.is_alive() for runner in runners)
        return {"ok": alive, "connected": client.is_connected()}
