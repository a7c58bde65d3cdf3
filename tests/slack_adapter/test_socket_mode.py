"""Socket Mode: a silent connection is replaced by slack_sdk itself; envelopes reach the app.

slack_sdk's built-in client talks to a local WebSocket server (tests/rig/fake_socket_mode.py).
The SDK reads the wall clock itself (time.time) and offers no clock to inject, so the tests that
wait for its stale-connection check shorten its ping interval to FAST instead: a connection is
then stale after about a second rather than 40-60 s. The sockets, threads, SDK and app are real.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from slack_adapter.intake import Received
from slack_adapter.socket_mode import PING_INTERVAL, SocketModeServer, make_handler, stop
from standin import payloads
from tests.rig.fake_socket_mode import ConnectionsOpen, FakeSocketModeServer, wait_until
from tests.rig.harness import BotUnderTest

FAST = 0.2  # seconds between the SDK's pings in these tests; stale after int(age) > 4 * FAST


@dataclass
class Rig:
    server: FakeSocketModeServer
    web: ConnectionsOpen
    handler: SocketModeHandler

    def session_id(self) -> str | None:
        return self.handler.client.session_id()


def connect(bot: BotUnderTest, silent: set[int], ping_interval: float) -> Iterator[Rig]:
    server = FakeSocketModeServer(silent)
    web = ConnectionsOpen(server.url)
    handler = make_handler(bot.app, "xapp-test", web_client=web, ping_interval=ping_interval)
    handler.connect()  # type: ignore[no-untyped-call]
    wait_until(lambda: len(server.links) == 1)  # the hello was sent
    try:
        yield Rig(server, web, handler)
    finally:
        server.close()  # first, so the client's blocking read returns at once
        stop(handler)


@pytest.fixture
def silent_first(bot: BotUnderTest) -> Iterator[Rig]:
    """Connected, pinging fast, to a server whose first connection never answers a ping."""
    yield from connect(bot, silent={0}, ping_interval=FAST)


@pytest.fixture
def healthy_fast(bot: BotUnderTest) -> Iterator[Rig]:
    """Connected, pinging fast, to a server that answers every ping."""
    yield from connect(bot, silent=set(), ping_interval=FAST)


@pytest.fixture
def healthy(bot: BotUnderTest) -> Iterator[Rig]:
    """Connected as in production (ping every 10 s) to a server that answers every ping."""
    yield from connect(bot, silent=set(), ping_interval=PING_INTERVAL)


@pytest.mark.slow  # waits on the SDK's own clock: about 3 s
def test_silent_connection_is_replaced(silent_first: Rig, caplog: pytest.LogCaptureFixture) -> None:
    """Never a pong, not even the first: slack-sdk before 3.48 kept such a connection forever."""
    rig = silent_first
    caplog.set_level(logging.INFO, logger="slack_sdk.socket_mode")
    first_session = rig.session_id()
    wait_until(lambda: len(rig.server.links) == 2, timeout=10)
    assert rig.server.links[0].closed.wait(5), "the dead connection was not closed"
    wait_until(lambda: rig.handler.client.is_connected())
    assert rig.session_id() != first_session and rig.web.opened == 2
    stale = [r for r in caplog.records if "connection seems to be stale" in r.getMessage()]
    assert stale and stale[0].name == "slack_sdk.socket_mode"  # the line README shows


@pytest.mark.slow  # waits on the SDK's own clock: about 2 s
def test_pongs_keep_a_quiet_connection(healthy_fast: Rig) -> None:
    rig = healthy_fast
    link = rig.server.links[0]
    wait_until(lambda: len(link.pings) >= 12, timeout=10)  # over twice the stale limit
    assert len(rig.server.links) == 1 and rig.web.opened == 1 and not link.closed.is_set()


def test_closed_connection_is_reopened(healthy_fast: Rig) -> None:
    rig = healthy_fast
    rig.server.links[0].hang_up()
    wait_until(lambda: len(rig.server.links) == 2, timeout=10)
    wait_until(lambda: rig.handler.client.is_connected())
    assert rig.web.opened == 2


def test_envelopes_reach_the_app_are_acked_and_keep_the_connection(
    healthy: Rig, bot: BotUnderTest
) -> None:
    rig = healthy
    seen: list[str] = []

    def on_emoji_changed(deps: Any, client: Any, received: Received) -> None:
        seen.append(received.payload["event"]["name"])

    bot.listeners.durable(  # as the app registers its own
        bot.app.event("emoji_changed"),
        "emoji",
        on_emoji_changed,
        lambda body: f"event:{body['event_id']}",
    )
    callback = payloads.event_callback(
        {"type": "emoji_changed", "subtype": "add", "name": "parrot"}, event_id="Ev0SOCKET"
    )
    link = rig.server.links[0]
    for attempt, envelope_id in enumerate(["env-1", "env-2"]):
        link.send(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "payload": callback,
                "accepts_response_payload": False,
                "retry_attempt": attempt,
                "retry_reason": "timeout" if attempt else "",
            }
        )
        wait_until(lambda eid=envelope_id: {"envelope_id": eid} in link.texts)  # acked
    bot.executor.wait_idle()
    assert seen == ["parrot"]  # Slack's retry of the same event_id did not run it again
    assert len(rig.server.links) == 1


def test_the_handler_is_configured_deliberately(bot: BotUnderTest) -> None:
    handler = make_handler(bot.app, "xapp-test", web_client=ConnectionsOpen("ws://unused"))
    try:
        client = handler.client
        assert client.auto_reconnect_enabled is True and client.ping_interval == 10.0
    finally:
        stop(handler)


def test_the_server_serves_until_stopped(bot: BotUnderTest) -> None:
    server = FakeSocketModeServer()
    socket_mode = SocketModeServer(bot.app, "xapp-test", web_client=ConnectionsOpen(server.url))
    serving = threading.Thread(target=socket_mode.serve)
    serving.start()
    try:
        wait_until(lambda: len(server.links) == 1)
        command = payloads.slash_command(
            "help", user="UALICE", channel="C0DBM", response_url=bot.fake.response_url("sm")
        )
        server.links[0].send(
            {"envelope_id": "env-cmd", "type": "slash_commands", "payload": command}
        )
        wait_until(lambda: any(t.get("envelope_id") == "env-cmd" for t in server.links[0].texts))
        bot.executor.wait_idle()
        assert "/dbm" in str(bot.fake.calls_to("response_url")[0].args.get("text"))
    finally:
        assert socket_mode.stop(5) is True
        serving.join(timeout=10)
        server.close()
    assert not serving.is_alive() and server.links[0].closed.is_set()
