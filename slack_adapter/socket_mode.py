"""Socket Mode on slack_sdk's built-in client, which replaces a silent connection by itself.

From slack-sdk 3.48 the client pings Slack every `ping_interval` seconds and closes a connection
whose last pong (or, if none ever came, its first ping) is more than four intervals old; its
monitor then opens a new connection (auto_reconnect_enabled). That also covers a peer that
vanished without closing, whose reads return nothing and whose writes go into the kernel's buffer.
"""

from __future__ import annotations

import logging
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

log = logging.getLogger(__name__)
# The client's own log lines (connections opened, stale ones closed) go under slack_sdk, whose
# level the command line keeps at INFO or above: at DEBUG the SDK would log envelopes' text.
CLIENT_LOG = logging.getLogger("slack_sdk.socket_mode")

PING_INTERVAL = 10.0  # a connection with no pong for 4 intervals is replaced: within 40-60 s


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
    handler.connect()  # type: ignore[no-untyped-call]
    log.info(
        "connected to Slack in Socket Mode; a connection silent for %d s is replaced",
        int(PING_INTERVAL * 4),
    )
    until = until or threading.Event()
    try:
        until.wait()
    finally:
        stop(handler)
