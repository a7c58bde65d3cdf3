"""The chairs' user group and auth.test are cached for their time (clock injected), safely."""

from __future__ import annotations

import threading

from bot.health import SlackAuthCache
from slack_adapter.chairs import ChairDirectory
from tests.rig.harness import BotUnderTest


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_chairs_group_is_read_once_per_five_minutes_and_kept_when_slack_fails(
    bot: BotUnderTest,
) -> None:
    clock = Clock()
    bot.fake.set_usergroup("SCHAIRS", ["UBOB"])
    chairs = ChairDirectory(("UALICE",), "SCHAIRS", timer=clock)
    assert chairs.chair_ids(bot.client) == {"UALICE", "UBOB"}
    bot.fake.set_usergroup("SCHAIRS", ["UCAROL"])
    clock.now += 299
    assert chairs.is_chair("UBOB", bot.client)  # still the cached members
    clock.now += 2
    assert chairs.is_chair("UCAROL", bot.client) and not chairs.is_chair("UBOB", bot.client)
    bot.fake.fail("usergroups.users.list", "ratelimited")
    clock.now += 301
    assert chairs.is_chair("UCAROL", bot.client)  # Slack said no: the last known members stay
    assert len(bot.fake.calls_to("usergroups.users.list")) == 3


def test_many_threads_asking_at_once_make_one_call(bot: BotUnderTest) -> None:
    bot.fake.set_usergroup("SCHAIRS", ["UBOB"])
    chairs = ChairDirectory((), "SCHAIRS")
    auth = SlackAuthCache()
    threads = [
        threading.Thread(target=lambda: (chairs.chair_ids(bot.client), auth.check(bot.client)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(bot.fake.calls_to("usergroups.users.list")) == 1
    assert len(bot.fake.calls_to("auth.test")) == 1


def test_auth_test_is_cached_for_a_minute(bot: BotUnderTest) -> None:
    clock = Clock()
    auth = SlackAuthCache(timer=clock)
    assert auth.check(bot.client)["ok"] is True
    bot.fake.fail("auth.test", "invalid_auth")
    clock.now += 59
    assert auth.check(bot.client)["ok"] is True
    clock.now += 2
    assert auth.check(bot.client) == {"ok": False, "error": "invalid_auth"}
    assert len(bot.fake.calls_to("auth.test")) == 2
