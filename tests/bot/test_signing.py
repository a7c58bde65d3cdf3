"""Requests not signed by Slack are rejected before any listener runs."""

from __future__ import annotations

import time

from standin import payloads
from tests.conftest import CHAIR
from tests.rig.harness import BotUnderTest


def _open_body(bot: BotUnderTest) -> str:
    fields = payloads.slash_command(
        "open", user=CHAIR, channel="C0DBM", response_url=bot.fake.response_url("x")
    )
    return payloads.form_body(fields)


def test_forged_signature_is_rejected(bot: BotUnderTest) -> None:
    response = bot.post(
        _open_body(bot), content_type="application/x-www-form-urlencoded", secret="not-the-secret"
    )
    assert response.status == 401
    assert bot.fake.calls_to("chat.postMessage") == []


def test_stale_timestamp_is_rejected(bot: BotUnderTest) -> None:
    stale = int(time.time()) - 6 * 60
    response = bot.post(
        _open_body(bot), content_type="application/x-www-form-urlencoded", timestamp=stale
    )
    assert response.status == 401
    assert bot.fake.calls_to("chat.postMessage") == []


def test_correct_signature_is_accepted(bot: BotUnderTest) -> None:
    response = bot.post(_open_body(bot), content_type="application/x-www-form-urlencoded")
    assert response.status == 200


def test_healthz_reports_database_slack_and_scheduler(bot: BotUnderTest) -> None:
    response = bot.get("/healthz")
    report = response.json()
    assert report["database"] == {"ok": True, "reachable": True, "migrated": True, "writable": True}
    assert report["slack"] == {"ok": True}  # no workspace or bot name for whoever asks
    assert response.status == 503 and report["scheduler"]["ok"] is False  # not started in tests
