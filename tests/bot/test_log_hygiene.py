"""Logs carry ids and kinds, never what people wrote in their updates."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli import _configure_logging
from tests.conftest import CHAIR
from tests.handlers.updates_rig import deleted, edited, open_briefing, reply, speaks_for, updates
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MARKER = "Zebra-Quokka-7731"
EDITED = "Walrus-Pangolin-4410"


@pytest.fixture
def every_log(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """Capture every record at DEBUG, with logging set up as the CLI does for LOG_LEVEL=DEBUG."""
    for name in ("slack_sdk", "slack_bolt", "alembic"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.getLogger(name).level)
    caplog.set_level(logging.DEBUG)
    _configure_logging("DEBUG")
    return caplog


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        for record in caplog.records
    )


def test_update_text_never_reaches_the_logs(
    bot: BotUnderTest, every_log: pytest.LogCaptureFixture
) -> None:
    speaks_for(bot, "UALICE", "BTP")
    briefing = open_briefing(bot)
    text = f"EVENT | firearms | today 07:10 | {MARKER} seen at the depot"
    ts = reply(bot, briefing, text)
    edited(bot, briefing, ts, text, f"EVENT | firearms | today 07:10 | {EDITED} at the depot")
    reply(bot, briefing, f"EVENT | unicorns | today 07:10 | {MARKER} with a bad threat")
    reply(bot, briefing, f"PLAN | OIC | today 09:40 | SECRET {MARKER} marked too high")
    bot.clock.set(datetime(2026, 11, 23, 10, 30, tzinfo=LONDON))
    bot.command("summary", user=CHAIR)
    bot.command("close", user=CHAIR)
    deleted(bot, briefing, ts)
    assert [u.status for u in updates(bot)] == ["withdrawn"]  # the flow really ran
    assert len(every_log.records) >= 5  # and really logged
    logs = logged_text(every_log)
    assert MARKER not in logs and EDITED not in logs


def test_slack_libraries_stay_at_info_under_debug(every_log: pytest.LogCaptureFixture) -> None:
    assert logging.getLogger("slack_sdk").getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("slack_bolt").getEffectiveLevel() >= logging.INFO
