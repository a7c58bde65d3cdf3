"""Exactly once for every post that is not idempotent: the header, the digest, the export file
and the guidance, whatever went wrong after Slack acted (a crash, a 503, a timeout).

The stand-in does the work and then fails (`error_after_acting`), or answers only after the
client gave up (`slow_after_acting`); crashes are a process dying between Slack's answer and
the database's record of it, replayed by running the job again later, as a restart would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

import service.digest
import service.export
from meeting.briefings import STALE_CLAIM
from service.closing import run_close_briefing
from service.digest import STALE_PART, retry_digests
from service.export import STALE_CLAIM as EXPORT_STALE
from service.export import Exported, run_weekly_export
from service.jobs import catch_up_open, run_open_briefing
from service.opening import Opened
from storage.models import Briefing, DigestMessage
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.updates_rig import reply, speaks_for
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 23, 8, 30, tzinfo=LONDON)
FRIDAY_NOON = datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)


class Died(BaseException):
    """The process stopped here (not an Exception: nothing in the bot catches it)."""


@pytest.fixture
def timed(bot: BotUnderTest) -> Iterator[BotUnderTest]:
    """The bot with a half-second Slack timeout, and Slack's timestamps on the injected clock."""
    bot.client.timeout = 0.5  # type: ignore[assignment]  # urllib takes a float
    bot.fake.clock = lambda: bot.clock().timestamp()
    yield bot


def headers(bot: BotUnderTest) -> list[dict[str, Any]]:
    return [
        m
        for m in bot.fake.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == "dbm_briefing_opened"
    ]


def digests(bot: BotUnderTest) -> list[dict[str, Any]]:
    return [
        m
        for m in bot.fake.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == "dbm_digest"
    ]


def files(bot: BotUnderTest) -> list[dict[str, Any]]:
    return [f for m in bot.fake.messages(CHANNEL) for f in m.get("files") or []]


def the_briefing(bot: BotUnderTest) -> Briefing:
    with bot.session() as session:
        (briefing,) = session.exec(select(Briefing)).all()
        return briefing


# ---- the header ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["error", "timeout"])
def test_a_header_slack_posted_before_failing_is_kept_and_not_posted_again(
    timed: BotUnderTest, fault: str
) -> None:
    if fault == "error":
        timed.fake.error_after_acting("chat.postMessage", status=503)
    else:
        timed.fake.slow_after_acting("chat.postMessage", seconds=2)
    result = timed.run_job(run_open_briefing, MONDAY)
    assert result is not None and result.status is Opened.POSTED
    (header,) = headers(timed)
    assert the_briefing(timed).thread_ts == header["ts"]
    assert len(timed.fake.calls_to("chat.postMessage")) == 1


def test_a_stuck_claim_is_resolved_on_start_without_waiting(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def died(**_kwargs: Any) -> Briefing:
        raise Died

    monkeypatch.setattr("service.opening.mark_opened", died)
    with pytest.raises(Died):
        bot.run_job(run_open_briefing, MONDAY)
    monkeypatch.undo()
    assert the_briefing(bot).status == "claimed" and len(headers(bot)) == 1
    result = bot.run_job(catch_up_open, MONDAY + timedelta(seconds=20))  # < STALE_CLAIM
    assert MONDAY + timedelta(seconds=20) - MONDAY < STALE_CLAIM
    assert result is not None and result.status is Opened.ALREADY_OPEN
    assert the_briefing(bot).status == "open" and len(headers(bot)) == 1
    reply_text = bot.command("open", user=CHAIR).text
    assert "being opened" not in reply_text and len(headers(bot)) == 1


# ---- the digest ------------------------------------------------------------------------------


def _briefing_with_an_update(bot: BotUnderTest) -> Briefing:
    bot.run_job(run_open_briefing, MONDAY)
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(MONDAY + timedelta(minutes=20))
    reply(bot, the_briefing(bot), "EVENT | firearms | today 07:10 | Shots fired in Croydon")
    return the_briefing(bot)


@pytest.mark.parametrize("fault", ["error", "timeout"])
def test_a_digest_part_slack_posted_before_failing_is_posted_once(
    timed: BotUnderTest, fault: str
) -> None:
    _briefing_with_an_update(timed)
    if fault == "error":
        timed.fake.error_after_acting("chat.postMessage", status=503)
    else:
        timed.fake.slow_after_acting("chat.postMessage", seconds=2)
    timed.run_job(run_close_briefing, MONDAY + timedelta(hours=2, minutes=30))
    (digest,) = digests(timed)
    with timed.session() as session:
        (row,) = session.exec(select(DigestMessage)).all()
    assert row.ts == digest["ts"]


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_closer_that_died_around_the_post_leaves_one_digest(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    _briefing_with_an_update(bot)
    real_post = service.digest.post_once

    def dies(find: Any, post: Any, what: str, **kwargs: Any) -> Any:
        if when == "after":
            post()
        raise Died

    monkeypatch.setattr(service.digest, "post_once", dies)
    closing = MONDAY + timedelta(hours=2, minutes=30)
    with pytest.raises(Died):
        bot.run_job(run_close_briefing, closing)
    monkeypatch.setattr(service.digest, "post_once", real_post)
    assert len(digests(bot)) == (1 if when == "after" else 0)
    later = closing + STALE_PART + timedelta(seconds=1)
    bot.clock.set(later)
    assert retry_digests(bot.deps, bot.client, now=later) == 1
    (digest,) = digests(bot)
    with bot.session() as session:
        (row,) = session.exec(select(DigestMessage)).all()
    assert row.ts == digest["ts"]
    assert retry_digests(bot.deps, bot.client, now=later) == 0  # complete: nothing more


def test_a_digest_slack_refuses_is_retried_until_posted_and_the_chairs_are_told_once(
    bot: BotUnderTest,
) -> None:
    _briefing_with_an_update(bot)
    bot.fake.fail("chat.postMessage", "internal_error")  # the digest; the chairs' DM goes
    closing = MONDAY + timedelta(hours=2, minutes=30)
    bot.run_job(run_close_briefing, closing)
    assert digests(bot) == []
    dms = [c for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == CHAIR]
    assert len(dms) == 1 and "could not be posted" in str(dms[0].args["text"])
    bot.fake.fail("chat.postMessage", "internal_error")
    assert retry_digests(bot.deps, bot.client, now=closing + timedelta(minutes=5)) == 1
    assert digests(bot) == []
    assert retry_digests(bot.deps, bot.client, now=closing + timedelta(minutes=10)) == 1
    assert len(digests(bot)) == 1
    dms = [c for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == CHAIR]
    assert len(dms) == 1  # told once, not at every retry


# ---- the export file -------------------------------------------------------------------------


def _week_with_a_briefing(bot: BotUnderTest) -> None:
    bot.run_job(run_open_briefing, MONDAY)
    bot.clock.set(FRIDAY_NOON)


@pytest.mark.parametrize("fault", ["error", "timeout"])
def test_an_upload_slack_stored_before_failing_is_posted_once(
    timed: BotUnderTest, fault: str
) -> None:
    _week_with_a_briefing(timed)
    if fault == "error":
        timed.fake.error_after_acting("files.completeUploadExternal", status=503)
    else:
        timed.fake.slow_after_acting("files.completeUploadExternal", seconds=2)
    result = timed.run_job(run_weekly_export, FRIDAY_NOON)
    assert result.status is Exported.POSTED
    assert [f["name"] for f in files(timed)] == ["dbm-attendance-2026-W48.xlsx"]
    assert len(timed.fake.calls_to("files.completeUploadExternal")) == 1


@pytest.mark.parametrize("when", ["before", "after"])
def test_an_export_that_died_around_the_upload_is_posted_once(
    timed: BotUnderTest, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    _week_with_a_briefing(timed)
    real_post = service.export.post_once

    def dies(find: Any, post: Any, what: str, **kwargs: Any) -> Any:
        if when == "after":
            post()
        raise Died

    monkeypatch.setattr(service.export, "post_once", dies)
    with pytest.raises(Died):
        timed.run_job(run_weekly_export, FRIDAY_NOON)
    monkeypatch.setattr(service.export, "post_once", real_post)
    assert len(files(timed)) == (1 if when == "after" else 0)
    result = timed.run_job(run_weekly_export, FRIDAY_NOON + EXPORT_STALE + timedelta(minutes=1))
    assert result.status is Exported.POSTED
    assert [f["name"] for f in files(timed)] == ["dbm-attendance-2026-W48.xlsx"]
    again = timed.run_job(run_weekly_export, FRIDAY_NOON + timedelta(hours=1))
    assert again.status is Exported.ALREADY_POSTED and len(files(timed)) == 1


# ---- the guidance ----------------------------------------------------------------------------


def test_guidance_slack_posted_before_failing_is_published_once(bot: BotUnderTest) -> None:
    bot.clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=LONDON))
    bot.fake.error_after_acting("chat.postMessage", status=503)
    result = bot.command("guidance publish", user=CHAIR).text
    assert "Published" in result or "published" in result
    parts = [
        m
        for m in bot.fake.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == "dbm_guidance"
    ]
    assert len(parts) == len({m["metadata"]["event_payload"]["part"] for m in parts}) >= 1
    assert bot.fake.pins(CHANNEL) == [parts[0]["ts"]]
