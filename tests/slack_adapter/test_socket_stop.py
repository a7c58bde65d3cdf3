"""A clean stop in Socket Mode: envelopes in flight are acked and stored, later ones are not.

slack_sdk's built-in client talks to the local WebSocket server (tests/rig/fake_socket_mode.py).
An envelope is held in flight inside the app's real ack function (by the durable listener's
check, which runs before the request is committed), so the stop begins while it is there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import select

from slack_adapter.intake import Received
from slack_adapter.socket_mode import SocketModeServer
from standin import payloads
from storage.models import Intake
from tests.rig.fake_socket_mode import ConnectionsOpen, FakeSocketModeServer, Link, wait_until
from tests.rig.harness import BotUnderTest


@dataclass
class Held:
    """Envelopes wait in the ack function, before their commit, until `release` is set."""

    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    worked: list[str] = field(default_factory=list)


@pytest.fixture
def held(bot: BotUnderTest) -> Iterator[Held]:
    """A durable listener for emoji_changed (as the app wires its own) that holds envelopes."""
    held = Held()

    def check(deps: Any, client: Any, body: dict[str, Any]) -> None:
        held.entered.set()
        held.release.wait(10)

    def work(deps: Any, client: Any, received: Received) -> None:
        held.worked.append(received.key)

    def key_of(body: dict[str, Any]) -> str:
        return f"event:{body['event_id']}"

    bot.listeners.durable(bot.app.event("emoji_changed"), "emoji", work, key_of, check)
    yield held
    held.release.set()


@dataclass
class Rig:
    fake: FakeSocketModeServer
    server: SocketModeServer
    serving: threading.Thread

    @property
    def link(self) -> Link:
        return self.fake.links[0]


@pytest.fixture
def rig(bot: BotUnderTest) -> Iterator[Rig]:
    """The app served over Socket Mode, connected to the local server."""
    fake = FakeSocketModeServer()
    server = SocketModeServer(bot.app, "xapp-test", web_client=ConnectionsOpen(fake.url))
    serving = threading.Thread(target=server.serve, daemon=True)
    serving.start()
    wait_until(lambda: len(fake.links) == 1)
    yield Rig(fake, server, serving)
    if not server.stopping.is_set():
        server.stop(1)
    serving.join(5)
    fake.close()


def emoji(envelope_id: str, event_id: str) -> dict[str, Any]:
    event = {"type": "emoji_changed", "subtype": "add", "name": event_id.lower()}
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "payload": payloads.event_callback(event, event_id=event_id),
        "accepts_response_payload": False,
    }


def acked(link: Link, envelope_id: str) -> bool:
    return any(text.get("envelope_id") == envelope_id for text in link.texts)


def stored(bot: BotUnderTest) -> list[tuple[str, bool]]:
    with bot.session() as session:
        rows = session.exec(select(Intake).order_by(Intake.key)).all()
        return [(row.key, row.done_at is not None) for row in rows]


def test_a_stop_acks_and_stores_what_is_in_flight_and_takes_nothing_new(
    bot: BotUnderTest, held: Held, rig: Rig
) -> None:
    rig.link.send(emoji("env-1", "Ev1"))
    assert held.entered.wait(5)  # in the ack function, not committed, not acked
    answered: list[bool] = []
    started = time.monotonic()
    stopping = threading.Thread(target=lambda: answered.append(rig.server.stop(5)))
    stopping.start()
    client = rig.server.client
    wait_until(lambda: not client.message_processor.is_alive())  # the stop has begun
    rig.link.send(emoji("env-2", "Ev2"))
    wait_until(lambda: any("env-2" in str(message) for message in list(client.message_queue.queue)))
    held.release.set()
    stopping.join(10)
    elapsed = time.monotonic() - started

    assert answered == [True] and elapsed < 5
    assert acked(rig.link, "env-1")
    assert not acked(rig.link, "env-2")  # received but never acked: Slack delivers it again
    assert rig.link.closed.wait(5)
    bot.executor.wait_idle()
    assert held.worked == ["event:Ev1"]
    assert stored(bot) == [("event:Ev1", True)]


def test_the_stop_ends_within_its_limit_when_an_envelope_does_not(
    bot: BotUnderTest, held: Held, rig: Rig
) -> None:
    rig.link.send(emoji("env-1", "Ev1"))
    assert held.entered.wait(5)
    started = time.monotonic()
    answered = rig.server.stop(0.5)
    elapsed = time.monotonic() - started
    assert answered is False and 0.5 <= elapsed < 1.0
    assert rig.link.closed.wait(5) and not acked(rig.link, "env-1")  # Slack delivers it again
    assert not rig.serving.join(5) and not rig.serving.is_alive()


def test_a_stop_with_nothing_in_flight_is_prompt(rig: Rig) -> None:
    started = time.monotonic()
    assert rig.server.stop(5) is True
    assert time.monotonic() - started < 0.5  # the connection is not left to time out (3 s)
    assert rig.link.closed.wait(5)
    rig.serving.join(5)
    assert not rig.serving.is_alive()
    assert rig.server.liveness() == {"ok": True, "connected": False}  # stopping is not dying


def test_a_stop_while_connecting_waits_for_the_connection_then_closes_it(
    bot: BotUnderTest,
) -> None:
    fake = FakeSocketModeServer()
    opening, release = threading.Event(), threading.Event()

    class SlowToOpen(ConnectionsOpen):
        def apps_connections_open(self, **kwargs: Any) -> Any:  # type: ignore[override]
            opening.set()
            release.wait(5)
            return super().apps_connections_open(**kwargs)

    server = SocketModeServer(bot.app, "xapp-test", web_client=SlowToOpen(fake.url))
    failures: list[BaseException] = []
    serving = threading.Thread(target=lambda: failures.extend(attempt(server.serve)))
    serving.start()
    try:
        assert opening.wait(5)  # SIGTERM arrives while the bot is connecting
        answered: list[bool] = []
        stopping = threading.Thread(target=lambda: answered.append(server.stop(5)))
        stopping.start()
        release.set()
        stopping.join(10)
        serving.join(10)
        assert answered == [True] and failures == [] and not serving.is_alive()
        assert fake.links[0].closed.wait(5)
    finally:
        release.set()
        fake.close()


def attempt(action: Any) -> list[BaseException]:
    try:
        action()
    except Exception as exc:
        return [exc]
    return []
