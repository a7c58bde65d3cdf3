"""The app's only `message` listener: replies in a briefing thread become updates.

A new reply that reads as an update is stored and gets a reaction; one that tries to be an
update but cannot be recorded gets an ephemeral answer saying why; conversation is left alone.
Editing the reply edits the update; deleting it withdraws the update.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.background import deferred
from meeting.briefings import briefing_by_thread
from meeting.parsing import EXAMPLES, ParsedUpdate, ParseRejection, UpdateKind, parse_update_text
from meeting.roster import body_by_code, body_codes
from meeting.updates import Invalid, Origin, UpdateData, update_by_key
from service.deps import Deps, deps_of
from service.guidance import deliver_once, guidance_sent
from service.updates import (
    Actor,
    Outcome,
    Submission,
    after_change,
    edit,
    submit_in,
    window_text,
    withdraw,
)
from slack_adapter.client import slack_error
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)

ACK_REACTION = "white_check_mark"
HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share")
TOP_LEVEL = (
    "Not recorded: post updates as replies in the thread of today's briefing, not as new "
    "messages in the channel, so they are filed with the right briefing."
)


def _key(channel: str, ts: str) -> str:
    return f"reply:{channel}:{ts}"


def _team(message: dict[str, Any]) -> str | None:
    """Slack Connect guests carry their own organisation in `user_team`."""
    team = message.get("user_team") or message.get("team")
    return str(team) if team else None


def _tell(client: WebClient, channel: str, message: dict[str, Any], text: str) -> None:
    """Answer the sender only, in the thread of their message."""
    try:
        client.chat_postEphemeral(
            channel=channel,
            user=str(message["user"]),
            text=text,
            thread_ts=message.get("thread_ts") or message.get("ts"),
        )
    except SlackApiError as exc:
        log.warning("ephemeral to %s failed: %s", message.get("user"), slack_error(exc))


def _react(client: WebClient, channel: str, ts: str) -> None:
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=ACK_REACTION)
    except SlackApiError as exc:
        if slack_error(exc) != "already_reacted":  # a repeated delivery of the same reply
            log.warning("reaction on %s/%s failed: %s", channel, ts, slack_error(exc))


def _parse(
    session: Session, deps: Deps, briefing: Briefing | None, text: str
) -> ParsedUpdate | ParseRejection | None:
    now, meeting = deps.clock(), deps.settings.meeting
    day = briefing.meeting_date if briefing else now.astimezone(meeting.timezone).date()
    return parse_update_text(
        text,
        briefing_date=day,
        now=now,
        zone=meeting.timezone,
        threats=deps.settings.threats,
        body_codes=body_codes(session=session),
    )


def _invalid_text(deps: Deps, invalid: Invalid, kind: UpdateKind, briefing: Briefing | None) -> str:
    if invalid.field == "briefing":
        return invalid.message
    windows = (
        f" {window_text(deps, briefing)}" if briefing and invalid.field in ("when", "due") else ""
    )
    return f"Not recorded: {invalid.message}.{windows} For example:\n`{EXAMPLES[kind]}`"


def _data(session: Session, parsed: ParsedUpdate) -> UpdateData:
    """The update a parsed reply describes (its `for:` body looked up by code)."""
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


Stored = tuple[ParsedUpdate | ParseRejection | None, Outcome | None]


def store_reply(
    session: Session, deps: Deps, channel: str, message: dict[str, Any], briefing: Briefing
) -> Stored:
    """Parse a reply and, if it reads as an update, store it in the caller's session."""
    parsed = _parse(session, deps, briefing, str(message.get("text") or ""))
    if not isinstance(parsed, ParsedUpdate):
        return parsed, None
    submission = Submission(
        user_id=str(message["user"]),
        team_id=_team(message),
        body_code=parsed.body_code,
        data=_data(session, parsed),
        origin=Origin(_key(channel, str(message["ts"])), "reply", channel, str(message["ts"])),
        briefing_id=briefing.id,
    )
    return parsed, submit_in(session, deps, submission, now=deps.clock())


def _answer(
    deps: Deps,
    client: WebClient,
    channel: str,
    message: dict[str, Any],
    briefing: Briefing,
    stored: Stored,
) -> None:
    """Tell the sender why a reply was not recorded, or react to it (Slack calls, no session)."""
    parsed, outcome = stored
    if isinstance(parsed, ParseRejection):
        _tell(client, channel, message, parsed.message)
        return
    if parsed is None or outcome is None:
        return
    if outcome.invalid is not None:
        _tell(client, channel, message, _invalid_text(deps, outcome.invalid, parsed.kind, briefing))
        return
    assert outcome.update is not None
    _react(client, channel, str(message["ts"]))
    if outcome.changed:
        log.info("update %s stored from reply %s", outcome.update.id, message["ts"])
        if outcome.update.late:
            after_change(deps, client, outcome.update, outcome.briefing)


def _top_level(deps: Deps, client: WebClient, channel: str, message: dict[str, Any]) -> None:
    """An update posted as a new channel message: say where it belongs (or why it is refused)."""
    with session_scope(deps.engine) as session:
        parsed = _parse(session, deps, None, str(message.get("text") or ""))
    if isinstance(parsed, ParseRejection) and parsed.code == "classified":
        _tell(client, channel, message, parsed.message)
    elif parsed is not None:
        _tell(client, channel, message, TOP_LEVEL)


def _first_post(deps: Deps, client: WebClient, user_id: str) -> None:
    try:
        deliver_once(deps, client, user_id=user_id, reason="first_post")
    except Exception:
        log.exception("guidance delivery failed for %s", user_id)


def _on_new(deps: Deps, client: WebClient, channel: str, message: dict[str, Any]) -> None:
    thread_ts = message.get("thread_ts")
    if not thread_ts or thread_ts == message.get("ts"):
        _top_level(deps, client, channel, message)
        return
    user_id = str(message["user"])
    # One short transaction for every read and write of the reply; Slack is called after it.
    with session_scope(deps.engine) as session:
        briefing = briefing_by_thread(session=session, channel=channel, thread_ts=str(thread_ts))
        if briefing is None:
            return
        sent = guidance_sent(session=session, user_id=user_id)
        stored = store_reply(session, deps, channel, message, briefing)
    if not sent:
        _first_post(deps, client, user_id)
    _answer(deps, client, channel, message, briefing, stored)


def _on_changed(deps: Deps, client: WebClient, channel: str, event: dict[str, Any]) -> None:
    message = event.get("message") or {}
    previous = event.get("previous_message") or {}
    if not _human(message) or message.get("text") == previous.get("text"):
        return  # link unfurls and reply counts also arrive as message_changed
    thread_ts = message.get("thread_ts")
    if not thread_ts or thread_ts == message.get("ts"):
        return
    stored: Stored | None = None
    with session_scope(deps.engine) as session:
        briefing = briefing_by_thread(session=session, channel=channel, thread_ts=str(thread_ts))
        if briefing is None:
            return
        if update_by_key(session=session, key=_key(channel, str(message["ts"]))) is None:
            stored = store_reply(session, deps, channel, message, briefing)
    if stored is not None:  # an edit that turned conversation into an update: a new one
        _answer(deps, client, channel, message, briefing, stored)
        return
    _edit_reply(deps, client, channel, message, briefing)


def _edit_reply(
    deps: Deps, client: WebClient, channel: str, message: dict[str, Any], briefing: Briefing
) -> None:
    with session_scope(deps.engine) as session:
        parsed = _parse(session, deps, briefing, str(message.get("text") or ""))
        data = _data(session, parsed) if isinstance(parsed, ParsedUpdate) else None
    unchanged = " The update recorded from this reply is unchanged."
    if parsed is None:
        _tell(
            client,
            channel,
            message,
            "Your edited reply no longer reads as an update."
            + unchanged
            + " Delete the reply to withdraw it.",
        )
        return
    if isinstance(parsed, ParseRejection):
        _tell(client, channel, message, parsed.message + unchanged)
        return
    assert data is not None  # the reply reads as an update
    actor = Actor(str(message["user"]), _team(message), is_chair=False)
    key = _key(channel, str(message["ts"]))
    outcome = edit(deps, update_id=None, key=key, data=data, actor=actor, now=deps.clock())
    if outcome.invalid is not None:
        _tell(
            client,
            channel,
            message,
            _invalid_text(deps, outcome.invalid, parsed.kind, briefing) + unchanged,
        )
    elif outcome.update is not None and outcome.changed:
        after_change(deps, client, outcome.update, outcome.briefing)


def _on_deleted(deps: Deps, client: WebClient, channel: str, event: dict[str, Any]) -> None:
    previous = event.get("previous_message") or {}
    # Slack lets only the author (or a workspace admin) delete a message, so no further check.
    actor = Actor(str(previous.get("user") or "slack"), None, is_chair=True)
    key = _key(channel, str(event.get("deleted_ts")))
    outcome = withdraw(deps, update_id=None, key=key, actor=actor, now=deps.clock())
    if outcome.update is not None and outcome.changed:
        log.info("update %s withdrawn: its reply was deleted", outcome.update.id)
        after_change(deps, client, outcome.update, outcome.briefing)


def _human(message: dict[str, Any]) -> bool:
    return (
        bool(message.get("user"))
        and not message.get("bot_id")
        and message.get("subtype") in HUMAN_SUBTYPES
    )


def handle_message_event(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Route a message event in the briefing channel by its subtype."""
    deps = deps_of(context)
    channel = str(event.get("channel") or "")
    if channel != deps.channel:
        return
    subtype = event.get("subtype")
    if subtype == "message_changed":
        _on_changed(deps, client, channel, event)
    elif subtype == "message_deleted":
        _on_deleted(deps, client, channel, event)
    elif _human(event):
        _on_new(deps, client, channel, event)


def register(app: App) -> None:
    """Wire the message listener."""
    app.event("message")(deferred(handle_message_event))
