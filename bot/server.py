"""HTTP mode: Slack's requests at /slack/events and the health checks, served by waitress."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import waitress.server
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore

from bot.gate import AckGate
from config.errors import ConfigError

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HealthCheck = Callable[[], dict[str, Any]]
EVENTS_PATH = "/slack/events"


def health_wsgi(checks: dict[str, HealthCheck]) -> WsgiApp:
    """A WSGI app answering each health path with its check's JSON (503 when not ok)."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        check = checks.get(str(environ.get("PATH_INFO")))
        if check is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        report = check()
        status = "200 OK" if report.get("ok") else "503 Service Unavailable"
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(report).encode()]

    return wsgi


def make_wsgi(app: App, checks: dict[str, HealthCheck], gate: AckGate | None = None) -> WsgiApp:
    """A WSGI app routing the health paths to their checks and everything else to Bolt; with a
    gate, each Slack request is counted while it is answered (see bot/gate.py)."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)
    health_app = health_wsgi(checks)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in checks:
            return health_app(environ, start_response)
        if not str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "0")).isdigit():
            # Bolt's signature check reads this header with int() and answers a 500; a forged
            # or garbled header is simply not a signed request from Slack.
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"invalid request"]
        if gate is None:
            return bolt(environ, start_response)
        gate.enter()
        try:
            # Bolt's adapter returns the whole body here, so the request is answered on return.
            return list(bolt(environ, start_response))
        finally:
            gate.leave()

    return wsgi


def health_server(checks: dict[str, HealthCheck], port: int) -> HttpServer:
    """The health checks alone on `port` (Socket Mode's DBM_HEALTH_PORT); ConfigError if the
    port cannot be listened on."""
    try:
        return HttpServer(health_wsgi(checks), host="0.0.0.0", port=port, threads=2)
    except OSError as exc:
        raise ConfigError(
            f"DBM_HEALTH_PORT={port}: cannot listen on it ({exc.strerror or exc}); choose a free "
            "port, or leave DBM_HEALTH_PORT unset for no health port"
        ) from None


class HttpServer:
    """waitress serving a WSGI app, with a stop that lets requests in flight finish."""

    def __init__(self, wsgi: WsgiApp, *, host: str, port: int, threads: int = 16) -> None:
        server: Any = waitress.server.create_server(
            wsgi, host=host, port=port, threads=threads, ident="dbm-bot"
        )
        self.server = server
        self.port = int(server.effective_port)
        self._stopping = threading.Event()

    def serve(self) -> None:
        """Serve until `stop` (waitress's loop, in the calling thread)."""
        try:
            self.server.run()
        except OSError:
            if not self._stopping.is_set():  # closing sockets under the loop ends it this way
                raise

    def stop_accepting(self) -> None:
        """Close the listening socket: new connections are refused from now on."""
        self._stopping.set()
        # waitress's own close() also closes the trigger this stop still needs: close only
        # the listening socket (the server's dispatcher), in the loop's thread.
        self.server.trigger.pull_trigger(lambda: wasyncore.dispatcher.close(self.server))

    def stop(self, timeout: float) -> bool:
        """Stop accepting, let requests in flight be answered (at most `timeout` seconds), then
        end the loop; False if some were still running."""
        self.stop_accepting()
        dispatcher = self.server.task_dispatcher
        deadline = time.monotonic() + timeout
        while (dispatcher.active_count or dispatcher.queue) and time.monotonic() < deadline:
            time.sleep(0.01)
        finished = not (dispatcher.active_count or dispatcher.queue)
        time.sleep(0.05)  # answers already written are flushed by the loop
        self.server.trigger.pull_trigger(self._close_all)
        return finished

    def _close_all(self) -> None:
        # Runs inside waitress's loop: closing every channel empties its map and ends the loop.
        self.server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        for channel in list(self.server._map.values()):
            channel.close()
