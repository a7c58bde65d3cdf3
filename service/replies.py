"""Thread replies: each is read (meeting.reading: the strict form first, then as people write)
and then recorded, answered with what could not be read, or left alone as conversation, in one
transaction. The handler turns the result into Slack's answer (a reaction and a private note)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from blocks.replies import Offer
from meeting.briefings import briefing_by_thread
from meeting.reading import Ambiguous, NilReturn, Readable, Unreadable
from meeting.updates import update_by_key
from service.deps import Deps
from service.guidance import guidance_sent
from service.reply_reading import (
    ACK_REACTION,
    Heard,
    ReplyResult,
    answer_reading,
    confirmation,
    invalid_text,
    is_human,
    read_in,
    reply_key,
    team_of,
    update_data,
)
from service.updates import GONE, Actor, Outcome, edit_in, withdraw
from storage.db import session_scope
from storage.models import Briefing

__all__ = [
    "ACK_REACTION",
    "Heard",
    "ReplyResult",
    "edit_reply",
    "is_human",
    "record_reply",
    "reply_key",
    "withdraw_reply",
]

TOP_LEVEL = (
    "Not recorded: post updates as replies in the thread of today's briefing, not as new "
    "messages in the channel, so they are filed with the right briefing."
)
UNCHANGED = " The update recorded from this reply is unchanged."
NO_LONGER = (
    "Your edited reply no longer reads as an update." + UNCHANGED + " Delete the reply to "
    "withdraw it."
)
EDIT_UNCLEAR = (
    "I could not tell which kind of update your edited reply is." + UNCHANGED + " Choose one "
    "and I will change it."
)


def _in_thread(message: dict[str, Any]) -> bool:
    thread_ts = message.get("thread_ts")
    return bool(thread_ts) and thread_ts != message.get("ts")


def _briefing(session: Session, message: dict[str, Any]) -> Briefing | None:
    return briefing_by_thread(
        session=session, channel=str(message["channel"]), thread_ts=str(message["thread_ts"])
    )


def _store(
    session: Session, deps: Deps, message: dict[str, Any], briefing: Briefing, now: datetime
) -> ReplyResult:
    reading = read_in(session, deps, briefing, str(message.get("text") or ""), now)
    return answer_reading(session, deps, message, briefing, reading, now)


def record_reply(deps: Deps, message: dict[str, Any], *, now: datetime) -> ReplyResult:
    """A new message in the briefing channel: a reply in a briefing's thread is recorded or
    answered (conversation is left alone); an update posted outside a thread is pointed to the
    thread."""
    with session_scope(deps.engine) as session:
        if not _in_thread(message):
            return _top_level(session, deps, message, now)
        briefing = _briefing(session, message)
        if briefing is None:
            return ReplyResult(Heard.LEFT_ALONE)
        sent = guidance_sent(session=session, user_id=str(message["user"]))
        result = _store(session, deps, message, briefing, now)
    return replace(result, needs_guidance=True) if not sent else result


def _top_level(session: Session, deps: Deps, message: dict[str, Any], now: datetime) -> ReplyResult:
    """A message outside any thread: pointed to the thread when it was meant as an update (it
    reads as one, or names its kind); other channel talk is left alone."""
    reading = read_in(session, deps, None, str(message.get("text") or ""), now)
    if isinstance(reading, Unreadable) and reading.code == "classified":
        return ReplyResult(Heard.REFUSED, reading.message, code=reading.code)
    draft = reading.draft if isinstance(reading, Unreadable) else None
    meant = isinstance(reading, Readable | Ambiguous | NilReturn) or (
        draft is not None and draft.kind is not None
    )
    return ReplyResult(Heard.REFUSED, TOP_LEVEL) if meant else ReplyResult(Heard.LEFT_ALONE)


def edit_reply(deps: Deps, message: dict[str, Any], *, now: datetime) -> ReplyResult:
    """An edited reply: its update follows the new text (a new one if it had none)."""
    if not _in_thread(message):
        return ReplyResult(Heard.LEFT_ALONE)
    key = reply_key(str(message["channel"]), str(message["ts"]))
    with session_scope(deps.engine) as session:
        briefing = _briefing(session, message)
        if briefing is None:
            return ReplyResult(Heard.LEFT_ALONE)
        if update_by_key(session=session, key=key) is None:
            return _store(session, deps, message, briefing, now)
        return _edit(session, deps, message, briefing, key, now)


def _edit(
    session: Session,
    deps: Deps,
    message: dict[str, Any],
    briefing: Briefing,
    key: str,
    now: datetime,
) -> ReplyResult:
    reading = read_in(session, deps, briefing, str(message.get("text") or ""), now)
    if isinstance(reading, Ambiguous):
        kinds = tuple(choice.kind.value for choice in reading.choices)
        return ReplyResult(Heard.UNCHANGED, EDIT_UNCLEAR, offer=Offer(key, kinds, form=False))
    if isinstance(reading, Unreadable):
        return ReplyResult(Heard.UNCHANGED, reading.message + UNCHANGED, code=reading.code)
    if not isinstance(reading, Readable):
        return ReplyResult(Heard.UNCHANGED, NO_LONGER)
    return change_update(session, deps, key, reading, actor_of_reply(message), now)


def actor_of_reply(message: dict[str, Any]) -> Actor:
    """The author of a reply, changing the update read from it."""
    return Actor(str(message["user"]), team_of(message), is_chair=False)


def change_update(
    session: Session, deps: Deps, key: str, reading: Readable, actor: Actor, now: datetime
) -> ReplyResult:
    """Change the update recorded from a reply to a new reading of it (the same checks as a new
    update; a refusal changes nothing)."""
    data = update_data(session, reading.update)
    outcome = edit_in(session, deps, key=key, data=data, actor=actor, now=now)
    if outcome.invalid is not None or outcome.update is None or outcome.briefing is None:
        return ReplyResult(Heard.UNCHANGED, _unchanged(deps, outcome, reading))
    said = confirmation(session, outcome.update, reading, deps, changed=True)
    heard = Heard.CHANGED if outcome.changed else Heard.UNCHANGED
    return ReplyResult(heard, None, outcome.update, outcome.briefing, False, confirmation=said)


def _unchanged(deps: Deps, outcome: Outcome, reading: Readable) -> str:
    """Why a new reading did not change the update."""
    invalid = outcome.invalid
    if invalid is None or invalid.field == "update" or outcome.briefing is None:
        return invalid.message if invalid is not None else GONE
    return invalid_text(deps, invalid, reading.update.kind, outcome.briefing) + UNCHANGED


def withdraw_reply(
    deps: Deps, channel: str, event: dict[str, Any], *, now: datetime
) -> ReplyResult:
    """A deleted reply withdraws its update (Slack lets only its author or an admin delete)."""
    previous = event.get("previous_message") or {}
    actor = Actor(str(previous.get("user") or "slack"), None, is_chair=True)
    key = reply_key(channel, str(event.get("deleted_ts")))
    outcome = withdraw(deps, update_id=None, key=key, actor=actor, now=now)
    heard = Heard.CHANGED if outcome.changed else Heard.UNCHANGED
    return ReplyResult(heard, None, outcome.update, outcome.briefing)
