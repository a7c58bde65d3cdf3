"""What a reading of a thread reply becomes, inside the caller's transaction: an update recorded,
a nil return recorded, or an answer saying what could not be read (a Refusal row keeps only its
reason). Conversation is left alone; nothing else is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from blocks.replies import Confirmation, NilNote, Offer
from meeting.nil_returns import record_nil_return
from meeting.parsing import EXAMPLES, ParsedUpdate, UpdateKind
from meeting.reading import (
    Ambiguous,
    Conversation,
    NilReturn,
    Readable,
    Reading,
    Unreadable,
    read_reply,
)
from meeting.refusals import record_refusal
from meeting.roster import body_by_code, body_codes
from meeting.updates import (
    Invalid,
    Origin,
    UpdateData,
    accepts_updates,
    invited_speakers,
    pick_body,
)
from meeting.updates import no_briefing_message as no_briefing
from service.deps import Deps
from service.updates import Submission, submit_in, window_text
from storage.models import Body, Briefing, Update

ROLL_CALL_CLOSED = (
    "Not recorded: the roll call closed with the briefing. Ask a chair to record your body "
    "as present with nothing to report (`/dbm nil CODE`)."
)


class Heard(StrEnum):
    """What became of a reply."""

    RECORDED = "recorded"  # an update stored now or before: it gets its reaction
    NIL = "nil"  # a nil return recorded: it gets its reaction
    REFUSED = "refused"  # could not be recorded: the sender is told why
    LEFT_ALONE = "left_alone"  # conversation, or not in a briefing's thread
    CHANGED = "changed"  # an edit, a deletion or a button changed the update
    UNCHANGED = "unchanged"  # an edit, a deletion or a button that changed nothing


@dataclass(frozen=True)
class ReplyResult:
    """A reply's outcome, with what to tell the sender and what Slack must show."""

    heard: Heard
    message: str | None = None  # an answer (it may quote the sender: escape it)
    update: Update | None = None
    briefing: Briefing | None = None
    created: bool = False
    needs_guidance: bool = False  # the sender has never been sent the guidance
    confirmation: Confirmation | None = None  # how a recorded update was read
    nil: NilNote | None = None
    offer: Offer | None = None  # the buttons an answer offers
    code: str | None = None  # why it was refused (meeting.labels.REFUSAL_LABELS)


ACK_REACTION = "white_check_mark"  # the ✅ on a recorded reply
HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share")


def is_human(message: dict[str, Any]) -> bool:
    """A message a person wrote (not a bot's, nor a notice of an edit, a deletion or a join)."""
    return (
        bool(message.get("user"))
        and not message.get("bot_id")
        and message.get("subtype") in HUMAN_SUBTYPES
    )


def reply_key(channel: str, ts: str) -> str:
    """The key of a thread reply: its update's dedupe key and its intake key alike."""
    return f"reply:{channel}:{ts}"


def team_of(message: dict[str, Any]) -> str | None:
    """The sender's organisation: Slack Connect guests carry their own in `user_team`."""
    team = message.get("user_team") or message.get("team")
    return str(team) if team else None


def read_in(
    session: Session, deps: Deps, briefing: Briefing | None, text: str, now: datetime
) -> Reading:
    """Read a reply against a briefing (None: today's date) and the roster's body codes."""
    meeting = deps.settings.meeting
    day = briefing.meeting_date if briefing else now.astimezone(meeting.timezone).date()
    return read_reply(
        text, briefing_date=day, now=now, zone=meeting.timezone,
        threats=deps.settings.threats, body_codes=body_codes(session=session),
    )  # fmt: skip


def invalid_text(deps: Deps, invalid: Invalid, kind: UpdateKind | None, briefing: Briefing) -> str:
    """Why an update read from a reply was not recorded, with the windows and an example."""
    if invalid.field == "briefing":
        return invalid.message
    if invalid.field == "body":
        return f"Not recorded: {invalid.message}."
    windows = f" {window_text(deps, briefing)}" if invalid.field in ("when", "due") else ""
    example = EXAMPLES[kind or UpdateKind.EVENT]
    return f"Not recorded: {invalid.message}.{windows} For example:\n`{example}`"


def update_data(session: Session, parsed: ParsedUpdate) -> UpdateData:
    """The update a reply describes (its `for:` body looked up by code)."""
    code = parsed.respond_code
    respond = body_by_code(session=session, code=code) if code else None
    return UpdateData(
        parsed.kind, parsed.threats, parsed.occurs_at, parsed.summary, parsed.location,
        parsed.marking, respond_body_id=respond.id if respond is not None else None,
    )  # fmt: skip


def refuse(
    session: Session, message: dict[str, Any], reason: str, text: str, now: datetime,
    offer: Offer | None = None,
) -> ReplyResult:  # fmt: skip
    """Keep the reason a reply was not recorded (once per reply) and say it to the sender."""
    record_refusal(
        session=session, key=reply_key(str(message["channel"]), str(message["ts"])),
        user_id=str(message["user"]), team_id=team_of(message), source="reply", reason=reason,
        now=now,
    )  # fmt: skip
    return ReplyResult(Heard.REFUSED, text, offer=offer, code=reason)


def invited_bodies_of(
    session: Session, message: dict[str, Any], briefing: Briefing
) -> tuple[Body, ...]:
    """The bodies invited to a briefing that a reply's sender speaks for."""
    return tuple(
        invited_speakers(
            session=session, user_id=str(message["user"]), team_id=team_of(message),
            day=briefing.meeting_date,
        )
    )  # fmt: skip


def barrier(
    deps: Deps, briefing: Briefing, bodies: tuple[Body, ...], now: datetime
) -> tuple[str, str] | None:
    """Why nothing from this sender can be recorded in this briefing now (reason code, words):
    it takes no more updates, or the sender speaks for no invited body (told how to be added)."""
    if not accepts_updates(briefing, now=now, zone=deps.settings.meeting.timezone):
        return "no_briefing", no_briefing()
    if bodies:
        return None
    found = pick_body(bodies, None)
    assert isinstance(found, Invalid)
    return found.code, f"Not recorded: {found.message}."


def confirmation(
    session: Session, update: Update, reading: Readable, deps: Deps, *, changed: bool = False
) -> Confirmation:
    """How an update recorded from a reply was read, for the sender."""
    body = session.get(Body, update.body_id)
    assert update.id is not None
    return Confirmation(
        update_id=update.id, reply_key=update.dedupe_key, kind=update.kind,
        body_code=body.code if body is not None else "?", threats=tuple(update.threats),
        at=update.due_at if update.kind == UpdateKind.DEMAND.value else update.occurs_at,
        zone=deps.settings.meeting.timezone, notes=reading.notes, inferred=reading.inferred,
        late=update.late, changed=changed,
    )  # fmt: skip


def record_readable(
    session: Session, deps: Deps, message: dict[str, Any], briefing: Briefing,
    reading: Readable, now: datetime, bodies: tuple[Body, ...] | None = None,
) -> ReplyResult:  # fmt: skip
    """Record the update a reply was read as (once per reply), or say why it cannot be."""
    channel, ts = str(message["channel"]), str(message["ts"])
    parsed = reading.update
    origin = Origin(reply_key(channel, ts), "reply", channel, ts)
    submission = Submission(
        user_id=str(message["user"]), team_id=team_of(message), body_code=parsed.body_code,
        data=update_data(session, parsed), origin=origin, briefing_id=briefing.id, bodies=bodies,
    )  # fmt: skip
    outcome = submit_in(session, deps, submission, now=now)
    if outcome.invalid is not None or outcome.update is None:
        invalid = outcome.invalid or Invalid("update", "the update could not be stored", "refused")
        text = invalid_text(deps, invalid, parsed.kind, briefing)
        return refuse(session, message, invalid.code, text, now, Offer(origin.key))
    said = confirmation(session, outcome.update, reading, deps)
    return ReplyResult(
        Heard.RECORDED, None, outcome.update, briefing, outcome.changed, confirmation=said
    )


def _nil(
    session: Session, message: dict[str, Any], briefing: Briefing, reading: NilReturn,
    now: datetime, bodies: tuple[Body, ...],
) -> ReplyResult:  # fmt: skip
    """A nil return: each body the sender speaks for (or the one named) present, nothing to
    report, as the header's button records it."""
    if briefing.status != "open":
        return refuse(session, message, "no_briefing", ROLL_CALL_CLOSED, now)
    if reading.body_code is not None:
        chosen = [b for b in bodies if b.code == reading.body_code]
        if not chosen:
            codes = ", ".join(b.code for b in bodies)
            text = f"Not recorded: you do not speak for {reading.body_code}; you speak for {codes}."
            return refuse(session, message, "not_member", text, now)
        bodies = tuple(chosen)
    answers = record_nil_return(
        session=session, briefing=briefing, bodies=bodies, actor=str(message["user"]), now=now
    )
    note = NilNote(briefing.meeting_date, tuple((a.body.code, a.state.value) for a in answers))
    return ReplyResult(Heard.NIL, briefing=briefing, nil=note)


def answer_reading(
    session: Session, deps: Deps, message: dict[str, Any], briefing: Briefing,
    reading: Reading, now: datetime,
) -> ReplyResult:  # fmt: skip
    """What a reply in a briefing's thread becomes: recorded, answered, or left alone."""
    if isinstance(reading, Conversation):
        return ReplyResult(Heard.LEFT_ALONE)
    if isinstance(reading, Unreadable) and reading.code == "classified":
        return refuse(session, message, reading.code, reading.message, now)  # nothing of it kept
    bodies = invited_bodies_of(session, message, briefing)
    stop = barrier(deps, briefing, bodies, now)
    if stop is not None:
        return refuse(session, message, *stop, now)
    if isinstance(reading, Readable):
        return record_readable(session, deps, message, briefing, reading, now, bodies)
    if isinstance(reading, NilReturn):
        return _nil(session, message, briefing, reading, now, bodies)
    key = reply_key(str(message["channel"]), str(message["ts"]))
    if isinstance(reading, Ambiguous):
        kinds = tuple(choice.kind.value for choice in reading.choices)
        return refuse(session, message, reading.code, reading.message, now, Offer(key, kinds))
    return refuse(session, message, reading.code, reading.message, now, Offer(key))
