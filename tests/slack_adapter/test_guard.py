"""Briefing content goes only to the configured private channel, never one shared with outsiders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from meeting.roster import body_by_code, uninvite_body
from service.jobs import run_open_briefing
from service.opening import Opened
from slack_adapter.guard import CACHE_SECONDS, CHANNEL_REFUSED, ensure_channel_safe
from storage.models import Briefing
from tests.conftest import CHAIR, CHANNEL
from tests.rig.harness import BotUnderTest

MONDAY = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
OWN_TEAM = "T0DBM"  # the fake's workspace


def give_team(bot: BotUnderTest, code: str, team: str) -> None:
    with bot.session() as session:
        body = body_by_code(session=session, code=code)
        assert body is not None
        body.external_team_ids = [t for t in team.split(",") if t]
        session.add(body)


def open_today(bot: BotUnderTest) -> Opened:
    result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None
    return result.status


def header_posted(bot: BotUnderTest) -> bool:
    return bool(bot.fake.messages(CHANNEL))


def chair_alerts(bot: BotUnderTest) -> list[str]:
    return [
        str(c.args["text"])
        for c in bot.fake.calls_to("chat.postMessage")
        if c.args["channel"] == CHAIR
    ]


def briefings(bot: BotUnderTest) -> list[Briefing]:
    with bot.session() as session:
        return list(session.exec(select(Briefing)))


def test_private_unshared_channel_gets_the_header(bot: BotUnderTest) -> None:
    assert open_today(bot) is Opened.POSTED
    assert header_posted(bot) and chair_alerts(bot) == []
    (call,) = bot.fake.calls_to("conversations.info")
    assert call.args["channel"] == CHANNEL


def test_public_channel_is_refused_and_chairs_told(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.set_channel(CHANNEL, is_private=False)
    result = bot.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.FAILED and result.error == CHANNEL_REFUSED
    assert not header_posted(bot) and briefings(bot) == []
    (alert,) = chair_alerts(bot)
    assert "public" in alert and f"<#{CHANNEL}>" in alert
    refusals = [r for r in caplog.records if r.name == "slack_adapter.guard"]
    assert [r.getMessage() for r in refusals] == [
        f"refused to post briefing content in {CHANNEL}: the channel is public; "
        "briefing content goes only to a private channel"
    ]


def test_shared_with_an_outside_organisation_is_refused(bot: BotUnderTest) -> None:
    bot.fake.set_channel(CHANNEL, is_ext_shared=True, connected_team_ids=[OWN_TEAM, "TOUTSIDE1"])
    assert open_today(bot) is Opened.FAILED
    assert not header_posted(bot)
    (alert,) = chair_alerts(bot)
    assert "TOUTSIDE1" in alert and "not invited bodies" in alert


def test_shared_with_an_invited_bodys_organisation_is_allowed(bot: BotUnderTest) -> None:
    give_team(bot, "ERSOU", "TERSOU1")
    bot.fake.set_channel(CHANNEL, is_ext_shared=True, connected_team_ids=[OWN_TEAM, "TERSOU1"])
    assert open_today(bot) is Opened.POSTED
    assert header_posted(bot) and chair_alerts(bot) == []


def test_a_body_no_longer_invited_makes_its_organisation_an_outsider(bot: BotUnderTest) -> None:
    give_team(bot, "ERSOU", "TERSOU1")
    with bot.session() as session:
        uninvite_body(
            session=session, code="ERSOU", last_day=date(2026, 11, 20), actor=CHAIR, now=MONDAY
        )
    bot.fake.set_channel(CHANNEL, is_ext_shared=True, connected_team_ids=[OWN_TEAM, "TERSOU1"])
    assert open_today(bot) is Opened.FAILED
    assert "TERSOU1" in chair_alerts(bot)[0]


def test_shared_without_naming_the_organisations_is_refused(bot: BotUnderTest) -> None:
    bot.fake.set_channel(CHANNEL, is_ext_shared=True)
    assert open_today(bot) is Opened.FAILED
    assert "does not name" in chair_alerts(bot)[0]


def test_channel_slack_will_not_describe_is_refused(bot: BotUnderTest) -> None:
    bot.fake.fail("conversations.info", "channel_not_found")
    assert open_today(bot) is Opened.FAILED
    assert not header_posted(bot)
    assert "channel_not_found" in chair_alerts(bot)[0]


def test_a_channel_other_than_the_configured_one_is_refused(bot: BotUnderTest) -> None:
    reason = ensure_channel_safe(bot.deps, bot.client, "C0OTHER")
    assert reason is not None and "not the configured briefing channel" in reason
    assert bot.fake.calls_to("conversations.info") == []


def test_the_verdict_is_cached_briefly(bot: BotUnderTest) -> None:
    now = [1000.0]
    assert ensure_channel_safe(bot.deps, bot.client, monotonic=lambda: now[0]) is None
    bot.fake.set_channel(CHANNEL, is_private=False)
    now[0] += CACHE_SECONDS - 1
    assert ensure_channel_safe(bot.deps, bot.client, monotonic=lambda: now[0]) is None
    assert len(bot.fake.calls_to("conversations.info")) == 1
    now[0] += 2
    assert ensure_channel_safe(bot.deps, bot.client, monotonic=lambda: now[0]) is not None
    assert len(bot.fake.calls_to("conversations.info")) == 2


def test_dbm_open_in_a_refused_channel_answers_the_chair_and_posts_nothing(
    bot: BotUnderTest,
) -> None:
    bot.fake.set_channel(CHANNEL, is_private=False)
    result = bot.command("open", user=CHAIR)
    assert result.response.status == 200
    assert CHANNEL_REFUSED in result.text and "Nothing was opened" in result.text
    assert not header_posted(bot)
    assert len(chair_alerts(bot)) == 1
