"""Socket Mode: a silently dead connection is noticed and replaced; envelopes reach the app.

slack_sdk's built-in client talks to a local WebSocket server (tests/rig/fake_socket_mode.py).
The watchdog's clock is injected; the sockets, threads, SDK and app are real.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from slack_adapter.intake import Received
from slack_adapter.socket_mode import (
    CHECK_EVERY,
    SILENCE_LIMIT,
    Watchdog,
    make_handler,
    serve_socket_mode,
    stop,
    watch,
)
from standin import payloads
from tests.rig.fake_socket_mode import ConnectionsOpen, FakeSocketModeServer, wait_until
from tests.rig.harness import BotUnderTest


class Clock:
    """Seconds since the epoch, moved by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> Clock:
    return Clock()


@dataclass
class Rig:
    server: FakeSocketModeServer
    web: ConnectionsOpen
    watchdog: Watchdog
    clock: Clock

    def session_id(self) -> str | None:
        return self.watchdog.client.session_id()


def connect(bot: BotUnderTest, clock: Clock, silent: set[int]) -> Iterator[Rig]:
    server = FakeSocketModeServer(silent)
    web = ConnectionsOpen(server.url)
    handler = make_handler(bot.app, "xapp-test", web_client=web)
    watchdog = watch(handler, clock=clock)
    handler.connect()  # type: ignore[no-untyped-call]
    wait_until(lambda: watchdog.last_message == clock.now)  # the hello arrived
    try:
        yield Rig(server, web, watchdog, clock)
    finally:
        server.close()  # first, so the client's blocking read returns at once
        stop(handler)


@pytest.fixture
def silent_first(bot: BotUnderTest, wall: Clock) -> Iterator[Rig]:
    """Connected to a server whose first connection never answers a ping."""
    yield from connect(bot, wall, silent={0})


@pytest.fixture
def healthy(bot: BotUnderTest, wall: Clock) -> Iterator[Rig]:
    """Connected to a server that answers every ping."""
    yield from connect(bot, wall, silent=set())


def check_after(rig: Rig, seconds: float) -> bool:
    rig.clock.now += seconds
    return rig.watchdog.check()


def test_silent_connection_is_replaced_after_the_limit(
    silent_first: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig = silent_first
    first_session = rig.session_id()
    assert check_after(rig, SILENCE_LIMIT / 2) is False
    wait_until(lambda: f"{first_session}:{rig.clock.now}" in rig.server.links[0].pings)
    assert check_after(rig, SILENCE_LIMIT / 2 + 1) is True
    wait_until(lambda: len(rig.server.links) == 2)
    assert rig.server.links[0].closed.wait(5), "the dead connection was not closed"
    assert rig.session_id() != first_session and rig.web.opened == 2
    assert [r.getMessage() for r in caplog.records if r.name == "slack_adapter.socket_mode"] == [
        "Socket Mode connection silent for over 60 s (no envelopes, no pongs): reconnecting"
    ]


def test_pongs_keep_a_quiet_connection(healthy: Rig) -> None:
    rig = healthy
    session = rig.watchdog.client.current_session
    assert session is not None
    for _ in range(6):  # six minutes without a single envelope
        assert check_after(rig, SILENCE_LIMIT - 5) is False
        wait_until(lambda: session.last_ping_pong_time == rig.clock.now)
    assert len(rig.server.links) == 1 and rig.watchdog.reconnects == 0


def test_envelopes_reach_the_app_are_acked_and_keep_the_connection(
    silent_first: Rig, bot: BotUnderTest
) -> None:
    rig = silent_first
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
        rig.clock.now += SILENCE_LIMIT - 5
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
        assert rig.watchdog.check() is False
    bot.executor.wait_idle()
    assert seen == ["parrot"]  # Slack's retry of the same event_id did not run it again
    assert len(rig.server.links) == 1


def test_closed_connection_is_reopened(silent_first: Rig) -> None:
    rig = silent_first
    session = rig.watchdog.client.current_session
    assert session is not None
    rig.watchdog.client.auto_reconnect_enabled = False  # keep the SDK from racing the watchdog
    rig.server.links[0].hang_up()
    session.disconnect()
    assert check_after(rig, 1) is False  # down: the limit starts now
    assert check_after(rig, SILENCE_LIMIT) is False
    assert check_after(rig, 1) is True
    wait_until(lambda: len(rig.server.links) == 2)
    assert rig.watchdog.client.is_connected()


def test_vanished_peer_is_replaced_within_the_limit(silent_first: Rig) -> None:
    """The far end went away without a close frame: the SDK keeps reading nothing, forever."""
    rig = silent_first
    rig.server.links[0].hang_up()
    checks = 0
    while not rig.watchdog.reconnects:
        checks += 1
        assert checks <= SILENCE_LIMIT / CHECK_EVERY + 1, "never noticed the dead connection"
        check_after(rig, CHECK_EVERY)
    wait_until(lambda: len(rig.server.links) == 2)
    assert rig.watchdog.client.is_connected()


def test_the_handler_is_configured_deliberately(bot: BotUnderTest) -> None:
    handler = make_handler(bot.app, "xapp-test", web_client=ConnectionsOpen("ws://unused"))
    try:
        client = handler.client
        assert client.auto_reconnect_enabled is True
        assert client.ping_interval == 10.0 and client.ping_interval * 4 < SILENCE_LIMIT
    finally:
        stop(handler)


def test_serve_socket_mode_serves_until_told_to_stop(bot: BotUnderTest) -> None:
    server = FakeSocketModeServer()
    until = threading.Event()
    serving = threading.Thread(
        target=serve_socket_mode,
        args=(bot.app, "xapp-test"),
        kwargs={"until": until, "web_client": ConnectionsOpen(server.url)},
    )
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
        server.close()
        until.set()
        serving.join(timeout=10)
    assert not serving.is_alive()
