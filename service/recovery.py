"""Recovery from Slack's own record: the briefing thread says what people sent.

Whatever slipped through (a bot that was down for the rush, a request Slack gave up on) is in
the thread. Each human reply that was never received is stored in the intake as if Slack had
sent it, timed by its own ts (so it is late only if it was sent late), and its work then runs
like any other; edits and deletions missed are stored the same way; a recorded reply that lacks
its ✅ gets it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import col, select

from meeting.briefings import open_briefing
from meeting.calendar import local_date
from service.deps import Deps
from service.replies import ACK_REACTION, is_human, reply_key
from slack_adapter.client import slack_error
from slack_adapter.intake import Received, known, receive
from storage.db import session_scope
from storage.models import Briefing, Update

log = logging.getLogger(__name__)

PAGE = 200
# A reply recorded this recently may be missing from the thread as read (it came in while the
# pages were being fetched): it is never taken for deleted. A deletion whose event was lost is
# still found, by a later look.
SETTLED = timedelta(minutes=2)


@dataclass(frozen=True)
class Recovered:
    """What a look at the thread stored (its work still to run) and the reactions it added."""

    stored: tuple[Received, ...] = ()
    reactions: int = 0

    def __add__(self, other: Recovered) -> Recovered:
        return Recovered(self.stored + other.stored, self.reactions + other.reactions)

    def count(self, prefix: str) -> int:
        """How many stored requests have keys starting with `prefix` (reply, edit, delete)."""
        return sum(1 for r in self.stored if r.key.startswith(prefix))


def sent_at(ts: str) -> datetime:
    """When a message with this Slack ts was sent."""
    return datetime.fromtimestamp(float(ts), UTC)


def _briefings(deps: Deps, now: datetime) -> list[Briefing]:
    """The open briefing, and today's if it closed (replies may have come before the close)."""
    today = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        found = open_briefing(session=session, channel=deps.channel)
        query = select(Briefing).where(
            Briefing.channel_id == deps.channel,
            Briefing.meeting_date == today,
            col(Briefing.thread_ts).is_not(None),
        )
        today_briefing = session.exec(query).first()
    briefings = {b.id: b for b in (found, today_briefing) if b is not None and b.thread_ts}
    return list(briefings.values())


def _thread(client: WebClient, channel: str, thread_ts: str) -> Iterator[dict[str, Any]]:
    """Every message of a thread, page by page."""
    cursor: str | None = None
    while True:
        response = client.conversations_replies(
            channel=channel, ts=thread_ts, limit=PAGE, cursor=cursor
        )
        yield from response.get("messages") or []
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return


def _human(message: dict[str, Any], thread_ts: str) -> bool:
    return message.get("ts") != thread_ts and is_human(message)


def recover_thread(deps: Deps, client: WebClient, *, now: datetime) -> Recovered:
    """Store what today's briefing threads hold and the bot never received; add missing ✅."""
    total = Recovered()
    for briefing in _briefings(deps, now):
        try:
            total += _recover(deps, client, briefing)
        except SlackApiError as exc:
            log.warning(
                "could not read the thread of briefing %s: %s", briefing.id, slack_error(exc)
            )
    if total != Recovered():
        log.info(
            "recovered from the thread: %d replies, %d edits, %d deletions; %d reactions added",
            total.count("reply:"),
            total.count("edit:"),
            total.count("delete:"),
            total.reactions,
        )
    return total


def _recover(deps: Deps, client: WebClient, briefing: Briefing) -> Recovered:
    assert briefing.thread_ts is not None
    channel, thread_ts = briefing.channel_id, briefing.thread_ts
    read_at = deps.clock()
    replies = [m for m in _thread(client, channel, thread_ts) if _human(m, thread_ts)]
    keys = {reply_key(channel, str(m["ts"])): m for m in replies}
    seen = known(deps.engine, list(keys))
    stored = [_new(channel, thread_ts, m) for key, m in keys.items() if key not in seen]
    stored += [e for k, m in keys.items() if k in seen and (e := _edit(channel, thread_ts, m))]
    stored += _deletions(deps, briefing, set(keys), recorded_before=read_at - SETTLED)
    kept = tuple(r for r in stored if receive(deps.engine, r))
    reactions = _add_reactions(deps, client, channel, [m for k, m in keys.items() if k in seen])
    return Recovered(kept, reactions)


def _event(channel: str, thread_ts: str, message: dict[str, Any]) -> dict[str, Any]:
    event = {**message, "type": "message", "channel": channel, "thread_ts": thread_ts}
    return {"type": "event_callback", "event": event, "recovered": True}


def _new(channel: str, thread_ts: str, message: dict[str, Any]) -> Received:
    ts = str(message["ts"])
    return Received(
        reply_key(channel, ts), "message", _event(channel, thread_ts, message), sent_at(ts)
    )


def _edit(channel: str, thread_ts: str, message: dict[str, Any]) -> Received | None:
    edited = (message.get("edited") or {}).get("ts")
    if not edited:
        return None
    key = f"edit:{channel}:{message['ts']}:{edited}"
    event = {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "message": {**message, "thread_ts": thread_ts},
        "previous_message": {},
    }
    payload = {"type": "event_callback", "event": event, "recovered": True}
    return Received(key, "message", payload, sent_at(str(edited)))


def _deletions(
    deps: Deps, briefing: Briefing, present: set[str], *, recorded_before: datetime
) -> list[Received]:
    """Replies recorded well before the thread was read, whose update is active but which are
    no longer in the thread, were deleted."""
    with session_scope(deps.engine) as session:
        query = select(Update.dedupe_key, Update.author_id).where(
            Update.briefing_id == briefing.id,
            Update.source == "reply",
            Update.status == "active",
            Update.created_at < recorded_before,
        )
        stored = list(session.exec(query))
    found: list[Received] = []
    for key, author in stored:
        if key in present:
            continue
        ts = key.rsplit(":", 1)[-1]
        event = {
            "type": "message",
            "subtype": "message_deleted",
            "channel": briefing.channel_id,
            "deleted_ts": ts,
            "previous_message": {"user": author, "ts": ts},
        }
        payload = {"type": "event_callback", "event": event, "recovered": True}
        key = f"delete:{briefing.channel_id}:{ts}"
        found.append(Received(key, "message", payload, deps.clock()))
    return found


def _reacted(message: dict[str, Any], bot_user: str) -> bool:
    return any(
        r.get("name") == ACK_REACTION and bot_user in (r.get("users") or [])
        for r in message.get("reactions") or []
    )


def _add_reactions(
    deps: Deps, client: WebClient, channel: str, messages: list[dict[str, Any]]
) -> int:
    """The ✅ on recorded replies that lack it (the work after their ack did not finish)."""
    keys = {reply_key(channel, str(m["ts"])): m for m in messages}
    with session_scope(deps.engine) as session:
        query = select(Update.dedupe_key).where(
            col(Update.dedupe_key).in_(list(keys)), Update.status == "active"
        )
        recorded = set(session.exec(query))
    bot_user = str(client.auth_test().get("user_id") or "")
    added = 0
    for key in recorded:
        message = keys[key]
        if _reacted(message, bot_user):
            continue
        try:
            client.reactions_add(channel=channel, timestamp=str(message["ts"]), name=ACK_REACTION)
            added += 1
        except SlackApiError as exc:
            if slack_error(exc) != "already_reacted":
                log.warning("reaction on %s failed: %s", message["ts"], slack_error(exc))
    return added
