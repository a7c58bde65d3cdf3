"""Helpers for the update tests: open a briefing, map people to bodies, reply in the thread."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from meeting.roster import body_by_code
from standin import payloads
from storage.models import AuditEntry, Briefing, Member, Update
from tests.conftest import CHAIR, CHANNEL
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MONDAY_0905 = datetime(2026, 11, 23, 9, 5, tzinfo=LONDON)


def open_briefing(bot: BotUnderTest, at: datetime = MONDAY_0905) -> Briefing:
    """Open the day's briefing as the chair at a local time; return it."""
    bot.clock.set(at)
    result = bot.command("open", user=CHAIR)
    assert "Opened the briefing" in result.text, result.text
    with bot.session() as session:
        day = at.astimezone(LONDON).date()
        briefing = session.exec(select(Briefing).where(Briefing.meeting_date == day)).one()
    return briefing


def speaks_for(bot: BotUnderTest, user: str, *codes: str) -> None:
    """Map a person to bodies, as /dbm member would."""
    with bot.session() as session:
        for code in codes:
            body = body_by_code(session=session, code=code)
            assert body is not None and body.id is not None
            session.add(
                Member(
                    slack_user_id=user,
                    body_id=body.id,
                    added_by=CHAIR,
                    added_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )


def reply(
    bot: BotUnderTest,
    briefing: Briefing,
    text: str,
    *,
    user: str = "UALICE",
    team: str = payloads.TEAM_ID,
    **event: Any,
) -> str:
    """A person replies in the briefing thread; the message event reaches the bot. Returns ts."""
    assert briefing.thread_ts
    ts = bot.fake.add_message(CHANNEL, user=user, text=text, thread_ts=briefing.thread_ts)
    message = payloads.message_event(
        user=user, channel=CHANNEL, text=text, ts=ts, thread_ts=briefing.thread_ts, team=team
    )
    message.update(event)
    bot.event(message)
    return ts


def edited(
    bot: BotUnderTest, briefing: Briefing, ts: str, old: str, new: str, user: str = "UALICE"
) -> None:
    """Slack's message_changed event for an edited thread reply."""
    inner = {
        "type": "message",
        "user": user,
        "text": new,
        "ts": ts,
        "thread_ts": briefing.thread_ts,
    }
    inner["team"] = payloads.TEAM_ID
    previous = {**inner, "text": old}
    bot.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": CHANNEL,
            "channel_type": "group",
            "ts": f"{ts}9",
            "event_ts": f"{ts}9",
            "message": {**inner, "edited": {"user": user, "ts": f"{ts}8"}},
            "previous_message": previous,
        }
    )


def deleted(bot: BotUnderTest, briefing: Briefing, ts: str, user: str = "UALICE") -> None:
    """Slack's message_deleted event for a thread reply."""
    previous = {
        "type": "message",
        "user": user,
        "text": "",
        "ts": ts,
        "thread_ts": briefing.thread_ts,
    }
    bot.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": CHANNEL,
            "channel_type": "group",
            "ts": f"{ts}7",
            "event_ts": f"{ts}7",
            "deleted_ts": ts,
            "previous_message": previous,
        }
    )


def updates(bot: BotUnderTest) -> list[Update]:
    """Every stored update, oldest first."""
    with bot.session() as session:
        return list(session.exec(select(Update).order_by(Update.id)))  # type: ignore[arg-type]


def audit(bot: BotUnderTest, action_prefix: str) -> list[AuditEntry]:
    """Audit entries whose action starts with a prefix."""
    with bot.session() as session:
        rows = session.exec(select(AuditEntry).order_by(AuditEntry.id))  # type: ignore[arg-type]
        return [row for row in rows if row.action.startswith(action_prefix)]


def ephemerals(bot: BotUnderTest, user: str = "UALICE") -> list[str]:
    """Texts of the ephemeral messages sent to a person."""
    return [
        str(c.args.get("text"))
        for c in bot.fake.calls_to("chat.postEphemeral")
        if c.args.get("user") == user
    ]
