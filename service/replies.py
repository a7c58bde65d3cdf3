"""Thread replies: each is read and then recorded, or refused with the reason, in one
transaction. The handler turns the result into Slack's answer (a reaction or a private note)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from meeting.briefings import briefing_by_thread
from meeting.parsing import EXAMPLES, ParsedUpdate, ParseRejection, UpdateKind, parse_update_text
from meeting.refusals import record_refusal
from meeting.roster import body_by_code, body_codes
from meeting.updates import Invalid, Origin, UpdateData, update_by_key
from service.deps import Deps
from service.guidance import guidance_sent
from service.updates import Actor, Outcome, Submission, edit_in, submit_in, window_text, withdraw
from storage.db import session_scope
from storage.models import Briefing, Update

TOP_LEVEL = (
    "Not recorded: post updates as replies in the thread of today's briefing, not as new "
    "messages in the channel, so they are filed with the right briefing."
)
UNCHANGED = " The update recorded from this reply is unchanged."


class Heard(StrEnum):
    """What became of a reply."""

    RECORDED = "recorded"  # stored now or before: it gets its reaction
    REFUSED = "refused"  # could not be recorded: the sender is told why
    LEFT_ALONE = "left_alone"  # conversation, or not in a briefing's thread
    CHANGED = "changed"  # an edit or a deletion changed the update
    UNCHANGED = "unchanged"  # an edit or a deletion that changed nothing


@dataclass(frozen=True)
class ReplyResult:
    """A reply's outcome, with what to tell the sender and what Slack must show."""

    heard: Heard
    message: str | None = None
    update: Update | None = None
    briefing: Briefing | None = None
    created: bool = False
    needs_guidance: bool = False  # the sender has never been sent the guidance


def reply_key(channel: str, ts: str) -> str:
    """The key of a thread reply: its update's dedupe key and its intake key alike."""
    return f"reply:{channel}:{ts}"


def _team(message: dict[str, Any]) -> str | None:
    """Slack Connect guests carry their own organisation in `user_team`."""
    team = message.get("user_team") or message.get("team")
    return str(team) if team else None


def _read(
    session: Session, deps: Deps, briefing: Briefing | None, text: str, now: datetime
) -> ParsedUpdate | ParseRejection | None:
    meeting = deps.settings.meeting
    day = briefing.meeting_date if briefing else now.astimezone(meeting.timezone).date()
    return parse_update_text(
        text,
        briefing_date=day,
        now=now,
        zone=meeting.timezone,
        threats=deps.settings.threats,
        body_codes=body_codes(session=session),
    )


def _invalid_text(deps: Deps, invalid: Invalid, kind: UpdateKind, briefing: Briefing) -> str:
    if invalid.field == "briefing":
        return invalid.message
    windows = f" {window_text(deps, briefing)}" if invalid.field in ("when", "due") else ""
    return f"Not recorded: {invalid.message}.{windows} For example:\n`{EXAMPLES[kind]}`"


def _data(session: Session, parsed: ParsedUpdate) -> UpdateData:
    """The update a reply describes (its `for:` body looked up by code)."""
    code = parsed.respond_code
    respond = body_by_code(session=session, code=code) if code else None
    return UpdateData(
        parsed.kind,
        parsed.threats,
        parsed.occurs_at,
        parsed.summary,
        parsed.location,
        parsed.marking,
        respond_body_id=respond.id if respond is not None else None,
    )


def _refuse(
    session: Session, message: dict[str, Any], key: str, reason: str, text: str, now: datetime
) -> ReplyResult:
    record_refusal(
        session=session,
        key=key,
        user_id=str(message["user"]),
        team_id=_team(message),
        source="reply",
        reason=reason,
        now=now,
    )
    return ReplyResult(Heard.REFUSED, text)


def _store(
    session: Session,
    deps: Deps,
    message: dict[str, Any],
    briefing: Briefing,
    now: datetime,
) -> ReplyResult:
    """Read a reply in a briefing's thread and record it (or its refusal)."""
    channel, ts = str(message["channel"]), str(message["ts"])
    key = reply_key(channel, ts)
    parsed = _read(session, deps, briefing, str(message.get("text") or ""), now)
    if isinstance(parsed, ParseRejection):
        return _refuse(session, message, key, parsed.code, parsed.message, now)
    if parsed is None:
        return ReplyResult(Heard.LEFT_ALONE)
    submission = Submission(
        user_id=str(message["user"]),
        team_id=_team(message),
        body_code=parsed.body_code,
        data=_data(session, parsed),
        origin=Origin(key, "reply", channel, ts),
        briefing_id=briefing.id,
    )
    outcome = submit_in(session, deps, submission, now=now)
    if outcome.invalid is not None:
        text = _invalid_text(deps, outcome.invalid, parsed.kind, briefing)
        return _refuse(session, message, key, outcome.invalid.code, text, now)
    return ReplyResult(Heard.RECORDED, None, outcome.update, briefing, outcome.changed)


def record_reply(deps: Deps, message: dict[str, Any], *, now: datetime) -> ReplyResult:
    """A new message in the briefing channel: a reply in a briefing's thread is recorded or
    refused; an update posted outside a thread is pointed to the thread."""
    channel, thread_ts = str(message["channel"]), message.get("thread_ts")
    with session_scope(deps.engine) as session:
        if not thread_ts or thread_ts == message.get("ts"):
            return _top_level(session, deps, message, now)
        briefing = briefing_by_thread(session=session, channel=channel, thread_ts=str(thread_ts))
        if briefing is None:
            return ReplyResult(Heard.LEFT_ALONE)
        sent = guidance_sent(session=session, user_id=str(message["user"]))
        result = _store(session, deps, message, briefing, now)
    return replace(result, needs_guidance=True) if not sent else result


def _top_level(session: Session, deps: Deps, message: dict[str, Any], now: datetime) -> ReplyResult:
    parsed = _read(session, deps, None, str(message.get("text") or ""), now)
    if isinstance(parsed, ParseRejection) and parsed.code == "classified":
        return ReplyResult(Heard.REFUSED, parsed.message)
    if parsed is not None:
        return ReplyResult(Heard.REFUSED, TOP_LEVEL)
    return ReplyResult(Heard.LEFT_ALONE)


def edit_reply(deps: Deps, message: dict[str, Any], *, now: datetime) -> ReplyResult:
    """An edited reply: its update follows the new text (a new one if it had none)."""
    channel, thread_ts = str(message["channel"]), message.get("thread_ts")
    if not thread_ts or thread_ts == message.get("ts"):
        return ReplyResult(Heard.LEFT_ALONE)
    key = reply_key(channel, str(message["ts"]))
    with session_scope(deps.engine) as session:
        briefing = briefing_by_thread(session=session, channel=channel, thread_ts=str(thread_ts))
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
    parsed = _read(session, deps, briefing, str(message.get("text") or ""), now)
    if parsed is None:
        return ReplyResult(
            Heard.UNCHANGED,
            "Your edited reply no longer reads as an update."
            + UNCHANGED
            + " Delete the reply to withdraw it.",
        )
    if isinstance(parsed, ParseRejection):
        return ReplyResult(Heard.UNCHANGED, parsed.message + UNCHANGED)
    actor = Actor(str(message["user"]), _team(message), is_chair=False)
    outcome = edit_in(session, deps, key=key, data=_data(session, parsed), actor=actor, now=now)
    return _edited(deps, outcome, parsed.kind, briefing)


def _edited(deps: Deps, outcome: Outcome, kind: UpdateKind, briefing: Briefing) -> ReplyResult:
    if outcome.invalid is not None:
        text = _invalid_text(deps, outcome.invalid, kind, briefing) + UNCHANGED
        return ReplyResult(Heard.UNCHANGED, text)
    heard = Heard.CHANGED if outcome.changed else Heard.UNCHANGED
    return ReplyResult(heard, None, outcome.update, outcome.briefing, False)


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
