"""Every chair action is in the audit log; briefing content never goes to a refused channel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from slack_adapter.guard import forget
from storage.models import AuditEntry, DigestMessage
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.updates_rig import open_briefing, reply, speaks_for
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")


def actions_by(bot: BotUnderTest, actor: str) -> list[str]:
    with bot.session() as session:
        query = select(AuditEntry).where(AuditEntry.actor == actor).order_by(col(AuditEntry.id))
        return [entry.action for entry in session.exec(query)]


def test_open_remind_export_close_by_a_chair_are_audited(bot: BotUnderTest) -> None:
    speaks_for(bot, "UALICE", "BTP")
    open_briefing(bot)
    bot.command("remind", user=CHAIR)
    bot.command("export", user=CHAIR)
    bot.clock.set(datetime(2026, 11, 23, 10, 30, tzinfo=LONDON))
    bot.command("close", user=CHAIR)
    actions = actions_by(bot, CHAIR)
    for action in ("briefing.open", "reminder.sent", "export.posted", "briefing.close"):
        assert action in actions, actions
    assert actions.index("briefing.open") < actions.index("briefing.close")


def test_refused_channel_gets_no_digest_and_no_spreadsheet(bot: BotUnderTest) -> None:
    speaks_for(bot, "UALICE", "BTP")
    briefing = open_briefing(bot)
    reply(bot, briefing, "EVENT | firearms | today 07:10 | shots fired near the depot")
    # The channel is now shared with an organisation that is not an invited body.
    bot.fake.set_channel(CHANNEL, is_private=True, is_ext_shared=True, connected_team_ids=["TOUT"])
    bot.clock.set(datetime(2026, 11, 23, 10, 31, tzinfo=LONDON))
    forget(bot.client)  # the guard caches its verdict for a minute
    export = bot.command("export", user=CHAIR)
    bot.command("close", user=CHAIR)
    assert bot.fake.uploaded_files() == []
    assert "failed the channel check" in export.text
    with bot.session() as session:
        assert list(session.exec(select(DigestMessage))) == []
    digest_posts = [
        c for c in bot.fake.calls_to("chat.postMessage") if "Digest" in str(c.args.get("text"))
    ]
    assert digest_posts == []
