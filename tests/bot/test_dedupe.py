"""Slack delivers events at least once: a repeated event_id never runs its listener twice."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.background import deferred
from bot.dedupe import first_delivery
from standin import payloads
from storage.models import SlackEvent
from tests.rig.harness import BotUnderTest

NOW = datetime(2026, 11, 23, 8, 45, tzinfo=UTC)

# An event type no handler of the bot owns, so the test listener below is the one Bolt runs
# (Bolt runs only the first matching listener).
TEST_EVENT = "emoji_changed"


@pytest.fixture
def counted(bot: BotUnderTest) -> list[str]:
    """A listener that posts a message for each run and records the event it saw."""
    seen: list[str] = []
    lock = threading.Lock()

    def on_emoji_changed(event: dict[str, Any], client: WebClient) -> None:
        with lock:
            seen.append(str(event["name"]))
        client.chat_postMessage(channel="C0DBM", text=f"emoji {event['name']}")

    bot.app.event(TEST_EVENT)(deferred(on_emoji_changed))  # as the app registers its own
    return seen


def emoji_event(name: str) -> dict[str, Any]:
    return {"type": TEST_EVENT, "subtype": "add", "name": name, "event_ts": "1763700000.000100"}


def test_retry_of_an_event_runs_its_listener_once(bot: BotUnderTest, counted: list[str]) -> None:
    first = bot.event(emoji_event("parrot"), event_id="Ev0RETRY1")
    retry = bot.event(emoji_event("parrot"), event_id="Ev0RETRY1", retry_num=1)
    again = bot.event(emoji_event("parrot"), event_id="Ev0RETRY1", retry_num=2)
    assert [first.status, retry.status, again.status] == [200, 200, 200]
    assert counted == ["parrot"]
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    with bot.session() as session:
        (row,) = session.exec(select(SlackEvent)).all()
    assert row.event_id == "Ev0RETRY1" and row.received_at == bot.clock()


def test_distinct_events_each_run(bot: BotUnderTest, counted: list[str]) -> None:
    bot.event(emoji_event("one"), event_id="Ev0DIST1")
    bot.event(emoji_event("two"), event_id="Ev0DIST2")
    assert sorted(counted) == ["one", "two"]


def test_two_concurrent_deliveries_run_once(bot: BotUnderTest, counted: list[str]) -> None:
    body = json.dumps(payloads.event_callback(emoji_event("race"), event_id="Ev0RACE1"))

    def deliver(retry: int) -> int:
        headers = {"X-Slack-Retry-Num": str(retry)} if retry else {}
        response = bot.post(body, content_type="application/json", headers=headers, wait=False)
        return response.status

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(deliver, [0, 1, 0, 1]))
    bot.executor.wait_idle()
    assert statuses == [200, 200, 200, 200]
    assert counted == ["race"]
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_first_delivery_lets_one_of_many_racing_threads_win(engine: Engine) -> None:
    start = threading.Barrier(8)

    def attempt(_: int) -> bool:
        start.wait(timeout=5)
        return first_delivery(engine, "Ev0THREADS", NOW)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(8)))
    assert results.count(True) == 1
    assert first_delivery(engine, "Ev0OTHER", NOW) is True


def test_requests_that_are_not_events_are_not_recorded(bot: BotUnderTest) -> None:
    bot.command("help", user="UALICE")
    with bot.session() as session:
        assert session.exec(select(SlackEvent)).all() == []


def test_a_forged_event_is_refused_before_it_is_recorded(
    bot: BotUnderTest, counted: list[str]
) -> None:
    body = json.dumps(payloads.event_callback(emoji_event("forged"), event_id="Ev0FORGED"))
    response = bot.post(body, content_type="application/json", secret="not-the-secret")
    assert response.status == 401
    assert counted == []
    with bot.session() as session:
        assert session.get(SlackEvent, "Ev0FORGED") is None
    bot.event(emoji_event("genuine"), event_id="Ev0FORGED")  # the real delivery still runs
    assert counted == ["genuine"]


def test_every_listener_but_modal_submissions_acks_first_and_drops_retries(
    bot: BotUnderTest,
) -> None:
    """Only deferred listeners check the event id, so every event listener must be deferred;
    modal submissions are the one exception (their ack carries the field errors)."""
    names = [listener.ack_function.__name__ for listener in bot.app._listeners]
    assert len(names) > 15
    direct = [n for n in names if not n.startswith("deferred_")]
    assert direct and all(n.endswith("_submission") for n in direct), direct


def test_a_failure_after_the_ack_is_told_to_the_person_without_the_error(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work runs after Slack was answered, so a failure must still reach the person who asked."""
    import handlers.messages
    import handlers.update_actions
    from blocks.ids import ActionId
    from tests.handlers.updates_rig import open_briefing, reply, speaks_for

    def broken(**_: Any) -> None:
        raise RuntimeError("secret internals")

    speaks_for(bot, "UALICE", "BTP")
    briefing = open_briefing(bot)
    monkeypatch.setattr(handlers.update_actions, "withdraw", broken)
    monkeypatch.setattr(handlers.messages, "parse_update_text", broken)
    pressed = bot.press(
        ActionId.UPDATE_WITHDRAW, user="UALICE", value="1", channel="C0DBM",
        message_ts=briefing.thread_ts,
    )  # fmt: skip
    assert "failed on our side" in pressed.text and "secret internals" not in pressed.text
    reply(bot, briefing, "EVENT | firearms | today 07:10 | shots fired")
    (told,) = bot.fake.calls_to("chat.postEphemeral")
    assert told.args["user"] == "UALICE" and "failed on our side" in told.args["text"]
    assert told.args["thread_ts"] == briefing.thread_ts
