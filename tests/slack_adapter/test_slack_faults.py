"""Slack faults: rate limits and 5xx are retried; permanent errors are one log line and a DM."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.http_retry import builtin_handlers, handler
from sqlmodel import select

from config.settings import Settings, load_settings
from service.jobs import run_open_briefing
from service.opening import Opened
from storage.models import Briefing
from tests.conftest import CHANNEL, make_env
from tests.rig.fake_slack import FakeSlack
from tests.rig.harness import BotUnderTest

MONDAY = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
HISTORY = "conversations.history"
CHAIRS = ("UCHAIR", "UBOB")


class RecordedSleep:
    """Stands in for the `time` module of slack_sdk's retry handlers: records, never sleeps."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        """Record the wait the SDK asked for."""
        self.waits.append(seconds)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> RecordedSleep:
    recorder = RecordedSleep()
    monkeypatch.setattr(builtin_handlers, "time", recorder)
    monkeypatch.setattr(handler, "time", recorder)
    return recorder


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    """Two chairs, so an alert must reach both."""
    env = make_env(database_url, fake_slack.base_url, DBM_CHAIRS=",".join(CHAIRS))
    return load_settings(env)


def briefings(bot: BotUnderTest) -> list[Briefing]:
    with bot.session() as session:
        return list(session.exec(select(Briefing)))


def dms(fake: FakeSlack) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for call in fake.calls_to("chat.postMessage"):
        if str(call.args["channel"]).startswith("U"):
            found.setdefault(str(call.args["channel"]), []).append(str(call.args["text"]))
    return found


def our_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    ours = ("bot.", "service.", "slack_adapter.", "handlers.")
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(ours)]


def test_rate_limit_is_retried_after_retry_after(bot: BotUnderTest, sleeps: RecordedSleep) -> None:
    bot.fake.rate_limit("chat.postMessage", retry_after=7, times=2)
    result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.POSTED
    assert len(bot.fake.calls_to("chat.postMessage")) == 3  # two 429s, then the post
    assert len(bot.fake.messages(CHANNEL)) == 1
    assert len(sleeps.waits) == 2 and all(7 <= wait < 8 for wait in sleeps.waits)
    (briefing,) = briefings(bot)
    assert briefing.status == "open" and briefing.thread_ts == bot.fake.messages(CHANNEL)[0]["ts"]


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_posted_again_only_after_looking_in_the_channel(
    bot: BotUnderTest, sleeps: RecordedSleep, status: int
) -> None:
    bot.fake.server_error("chat.postMessage", status=status)
    result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.POSTED
    assert len(bot.fake.messages(CHANNEL)) == 1
    methods = [c.method for c in bot.fake.calls if c.method in ("chat.postMessage", HISTORY)]
    # looked, posted (5xx: the SDK does not repeat it), looked again, posted
    assert methods == [HISTORY, "chat.postMessage", HISTORY, "chat.postMessage"]
    assert sleeps.waits == []
    assert [b.status for b in briefings(bot)] == ["open"]


def test_server_errors_beyond_the_retries_fail_cleanly(
    bot: BotUnderTest, sleeps: RecordedSleep, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.server_error("chat.postMessage", times=3)
    result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.FAILED
    assert bot.fake.messages(CHANNEL) == [] and briefings(bot) == []
    assert len(bot.fake.calls_to("chat.postMessage")) == 3
    assert len([r for r in our_warnings(caplog) if r.levelno >= logging.ERROR]) == 1
    assert dms(bot.fake) == {}  # a transient fault is not worth waking the chairs


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_channel_error_is_one_log_line_and_a_dm_to_each_chair(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    bot.fake.fail("chat.postMessage", error)
    with caplog.at_level(logging.INFO):
        result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.FAILED and result.error == error
    (line,) = our_warnings(caplog)
    assert line.levelno == logging.ERROR
    assert line.getMessage().startswith(
        f"could not post the briefing header in {CHANNEL}: {error};"
    )
    alerts = dms(bot.fake)
    assert sorted(alerts) == sorted(CHAIRS)
    for texts in alerts.values():
        (text,) = texts
        assert f"`{error}`" in text and f"<#{CHANNEL}>" in text and "/dbm open" in text
    assert briefings(bot) == []  # the claim was released: a later /dbm open can try again


@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive"])
def test_dead_token_is_one_log_line_and_no_dm_attempt(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    bot.fake.fail("chat.postMessage", error)
    result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.FAILED
    (line,) = our_warnings(caplog)
    message = line.getMessage()
    assert error in message and ("token" in message or "reinstall" in message)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1  # no DM with a dead token
    assert briefings(bot) == []


def test_after_a_failure_the_next_attempt_posts_once(bot: BotUnderTest) -> None:
    bot.fake.fail("chat.postMessage", "not_in_channel")
    failed = bot.run_job(run_open_briefing, MONDAY)
    posted = bot.run_job(run_open_briefing, MONDAY)
    again = bot.run_job(run_open_briefing, MONDAY)
    statuses: list[Any] = [r.status if r else None for r in (failed, posted, again)]
    assert statuses == [Opened.FAILED, Opened.POSTED, Opened.ALREADY_OPEN]
    assert len(bot.fake.messages(CHANNEL)) == 1
