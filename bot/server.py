"""HTTP mode: Slack's requests at /slack/events and a /healthz endpoint, served by waitress."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.gate import AckGate

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HealthCheck = Callable[[], dict[str, Any]]
EVENTS_PATH = "/slack/events"


def make_wsgi(app: App, health: HealthCheck, gate: AckGate | None = None) -> WsgiApp:
    """A WSGI app routing /healthz to the health check and everything else to Bolt.

    With a gate, each Slack request is counted while it is answered (see bot/gate.py).
    """
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            report = health()
            status = "200 OK" if report.get("ok") else "503 Service Unavailable"
            body = json.dumps(report).encode()
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        if gate is None:
            result: Iterable[bytes] = bolt(environ, start_response)
            return result
        gate.enter()
        try:
            # Bolt's adapter returns the whole body here, so the request is answered on return.
            return list(bolt(environ, start_response))
        finally:
            gate.leave()

    return wsgi


def serve(wsgi: WsgiApp, *, host: str, port: int, threads: int = 16) -> None:
    """Serve until interrupted."""
    import waitress

    waitress.serve(wsgi, host=host, port=port, threads=threads, ident="dbm-bot")
