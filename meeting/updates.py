"""Updates: who may report for which body, window checks, and storing, editing, withdrawing.

Every write is idempotent on `Update.dedupe_key` (Slack delivers at least once) and audited
with the record before and after, so earlier wording stays in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session, select

from meeting.attendance import mark_present_from_update
from meeting.audit import record
from meeting.briefings import open_briefing, windows_of
from meeting.calendar import local_date
from meeting.parsing import UpdateKind
from meeting.roster import invited_among, speaker_bodies
from meeting.timefmt import fmt_local
from meeting.viewers import may_change_as, viewer_of
from storage.inserts import insert_new
from storage.models import Body, Briefing, Update


@dataclass(frozen=True)
class UpdateData:
    """The content of an update, from a modal or a reply."""

    kind: UpdateKind
    threats: tuple[str, ...]
    occurs_at: datetime | None
    summary: str
    location: str | None = None
    marking: str = "OFFICIAL"
    respond_body_id: int | None = None
    due_at: datetime | None = None


@dataclass(frozen=True)
class Invalid:
    """Why an update cannot be recorded; `field` names the modal input it concerns and `code`
    the reason (meeting/labels.py says it in words)."""

    field: str
    message: str
    code: str = "refused"


def accepts_updates(briefing: Briefing, *, now: datetime, zone: ZoneInfo) -> bool:
    """Open briefings take updates; a briefing closed earlier today takes late ones."""
    if briefing.status == "open":
        return True
    return briefing.status == "closed" and briefing.meeting_date == local_date(now, zone)


def current_briefing(
    *, session: Session, channel: str, now: datetime, zone: ZoneInfo
) -> Briefing | None:
    """The briefing updates go to now: the open one, else today's if closed (late updates)."""
    found = open_briefing(session=session, channel=channel)
    if found is not None:
        return found
    today = local_date(now, zone)
    query = select(Briefing).where(
        Briefing.channel_id == channel, Briefing.meeting_date == today, Briefing.status == "closed"
    )
    return session.exec(query).first()


def no_briefing_message() -> str:
    """What someone posting an update with no briefing open is told."""
    return (
        "Not recorded: no briefing is open now, so there is nowhere to file this update. "
        "Post it as a reply in the next briefing's thread when it opens "
        "(weekdays in the morning), or ask a chair to open one with `/dbm open`."
    )


def invited_speakers(
    *, session: Session, user_id: str, team_id: str | None, day: date
) -> list[Body]:
    """The bodies invited on a day that a person speaks for, by code."""
    speaks_for = speaker_bodies(session=session, user_id=user_id, team_id=team_id)
    ids = [b.id for b in speaks_for if b.id is not None]
    invited = invited_among(session=session, body_ids=ids, day=day)
    return [b for b in speaks_for if b.id in invited]


def choose_body(
    *, session: Session, user_id: str, team_id: str | None, briefing: Briefing, code: str | None
) -> Body | Invalid:
    """The body an update is filed for: the one the person speaks for, or the code they gave."""
    mine = invited_speakers(
        session=session, user_id=user_id, team_id=team_id, day=briefing.meeting_date
    )
    return pick_body(mine, code)


def pick_body(mine: Sequence[Body], code: str | None) -> Body | Invalid:
    """Of the invited bodies a person speaks for, the one an update is filed for."""
    if not mine:
        return Invalid(
            "body",
            "you are not listed as speaking for any body invited to this briefing, so updates "
            "from you cannot be filed. Ask a chair to add you to your body with `/dbm member`",
            "not_member",
        )
    codes = ", ".join(b.code for b in mine)
    if code is not None:
        chosen = [b for b in mine if b.code == code.upper()]
        if chosen:
            return chosen[0]
        return Invalid(
            "body", f"you do not speak for {code.upper()}; you speak for {codes}", "not_member"
        )
    if len(mine) > 1:
        return Invalid(
            "body",
            f"you speak for several bodies ({codes}); start the reply with the body's code, "
            f"e.g. `{mine[0].code} EVENT | ...`",
            "several_bodies",
        )
    return mine[0]


def check_window(
    briefing: Briefing, data: UpdateData, *, now: datetime, zone: ZoneInfo
) -> Invalid | None:
    """Events must fall in the look-back window, plans in the look-ahead window."""
    windows = windows_of(briefing)
    if data.kind is UpdateKind.EVENT:
        if data.occurs_at is None:
            return Invalid("when", "give the date and time the event happened", "missing_time")
        if not windows.contains_event(data.occurs_at, now=now):
            start, end = fmt_local(windows.events_from, zone), fmt_local(now, zone)
            return Invalid(
                "when",
                f"{fmt_local(data.occurs_at, zone)} is outside this briefing's look-back window "
                f"for events ({start} to now, {end})",
                "outside_window",
            )
    if data.kind is UpdateKind.PLAN:
        if data.occurs_at is None:
            return Invalid(
                "when", "give the date and time the operation is planned for", "missing_time"
            )
        if not windows.contains_plan(data.occurs_at):
            start, end = fmt_local(windows.opened_at, zone), fmt_local(windows.plans_until, zone)
            return Invalid(
                "when",
                f"{fmt_local(data.occurs_at, zone)} is outside this briefing's look-ahead window "
                f"for plans ({start} to {end})",
                "outside_window",
            )
    due = data.due_at or (data.occurs_at if data.kind is UpdateKind.DEMAND else None)
    if data.kind is UpdateKind.DEMAND and due is not None and due < now:
        return Invalid(
            "due", f"the due time {fmt_local(due, zone)} has already passed", "due_passed"
        )
    return None


def snapshot(update: Update) -> dict[str, Any]:
    """The audited fields of an update."""
    fields = ("kind", "body_id", "threats", "occurs_at", "location", "summary", "marking")
    more = ("status", "demand_status", "respond_body_id", "due_at", "late", "demand_renewed_at")
    return {name: getattr(update, name) for name in (*fields, *more)}


# Built once: on SQLite building a query costs about as much as running it, once per reply.
_BY_KEY = select(Update).where(Update.dedupe_key == bindparam("key"))


def update_by_key(*, session: Session, key: str) -> Update | None:
    """The update stored under a dedupe key, if any."""
    return session.exec(_BY_KEY, params={"key": key}).first()


def get_update(*, session: Session, update_id: int) -> Update | None:
    """An update by id."""
    return session.get(Update, update_id)


def _apply(update: Update, data: UpdateData) -> None:
    update.kind = data.kind.value
    update.threats = list(data.threats)
    update.occurs_at = data.occurs_at if data.kind is not UpdateKind.DEMAND else None
    update.summary, update.location, update.marking = data.summary, data.location, data.marking
    if data.kind is UpdateKind.DEMAND:
        update.demand_status = update.demand_status or "open"
        update.respond_body_id = data.respond_body_id
        update.due_at = data.due_at or data.occurs_at
    else:
        update.demand_status, update.respond_body_id, update.due_at = None, None, None


@dataclass(frozen=True)
class Origin:
    """Where an update came from: its dedupe key, source and Slack message."""

    key: str
    source: str  # modal | reply
    channel_id: str
    message_ts: str | None = None


def _insert(session: Session, update: Update) -> tuple[Update, bool]:
    """Insert under the unique key: the new row and True, or the row stored already and False."""
    stored = insert_new(session, update, "dedupe_key")
    if stored is not None:
        return stored, True
    earlier = update_by_key(session=session, key=update.dedupe_key)
    assert earlier is not None, "the key was taken, so its row exists"
    return earlier, False


def save_update(
    *,
    session: Session,
    origin: Origin,
    briefing: Briefing,
    body: Body,
    author: str,
    data: UpdateData,
    now: datetime,
) -> tuple[Update, bool]:
    """Store an update once per dedupe key; True when it was created now.

    The unique key decides: a repeated delivery (earlier or concurrent) gets the stored row.
    """
    assert briefing.id is not None and body.id is not None
    update = Update(
        dedupe_key=origin.key,
        briefing_id=briefing.id,
        body_id=body.id,
        author_id=author,
        kind=data.kind.value,
        threats=list(data.threats),  # given, so pydantic never inspects the default factory
        source=origin.source,
        channel_id=origin.channel_id,
        message_ts=origin.message_ts,
        # Late only if it was sent after the close: a reply recovered from the thread after an
        # outage is timed by when it was sent (`now`), never penalised for the outage.
        late=briefing.closed_at is not None and briefing.closed_at <= now,
        created_at=now,
        updated_at=now,
    )
    _apply(update, data)
    update, created = _insert(session, update)
    if not created:
        return update, False
    audit_update(session, update, "update.create", author, now, None)
    mark_present_from_update(
        session=session, briefing_id=briefing.id, body_id=body.id, actor=author, now=now
    )
    return update, True


def audit_update(
    session: Session,
    update: Update,
    action: str,
    actor: str,
    now: datetime,
    before: dict[str, Any] | None,
) -> None:
    """Audit a change to an update: its snapshot before and after."""
    record(
        session=session,
        now=now,
        actor=actor,
        action=action,
        subject=f"update:{update.id}",
        before=before,
        after=snapshot(update),
    )


def edit_update(
    *, session: Session, update: Update, data: UpdateData, actor: str, now: datetime
) -> bool:
    """Replace an update's content; False (and nothing audited) when nothing changed."""
    before = snapshot(update)
    _apply(update, data)
    if snapshot(update) == before:
        return False
    update.updated_at = now
    session.add(update)
    session.flush()
    audit_update(session, update, "update.edit", actor, now, before)
    return True


def withdraw_update(*, session: Session, update: Update, actor: str, now: datetime) -> bool:
    """Withdraw an update (an open demand is withdrawn with it); False if it already was."""
    if update.status == "withdrawn":
        return False
    before = snapshot(update)
    update.status, update.updated_at = "withdrawn", now
    if update.demand_status == "open":
        update.demand_status = "withdrawn"
        update.demand_closed_at, update.demand_closed_by = now, actor
    session.add(update)
    session.flush()
    audit_update(session, update, "update.withdraw", actor, now, before)
    return True


def may_change(
    *, session: Session, update: Update, user_id: str, team_id: str | None, is_chair: bool
) -> bool:
    """Authors, chairs and people speaking for the update's body may change it."""
    if is_chair or update.author_id == user_id:
        return True
    viewer = viewer_of(session=session, user_id=user_id, team_id=team_id, is_chair=is_chair)
    return may_change_as(viewer, author_id=update.author_id, body_id=update.body_id)
