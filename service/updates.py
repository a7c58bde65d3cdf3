"""Recording, changing and confirming updates: the steps shared by the modal and thread replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from blocks.ids import EventType
from blocks.updates import build_card_fallback, build_update_card
from meeting.briefings import windows_of
from meeting.demands import DemandStatus, close_demand
from meeting.parsing import UpdateKind
from meeting.timefmt import fmt_local
from meeting.update_view import UpdateView, load_update_view
from meeting.updates import (
    Invalid,
    Origin,
    UpdateData,
    accepts_updates,
    check_window,
    choose_body,
    current_briefing,
    edit_update,
    get_update,
    may_change,
    no_briefing_message,
    pick_body,
    save_update,
    update_by_key,
    withdraw_update,
)
from service.deps import Deps
from service.digest import refresh_digest
from service.opening import refresh_header
from slack_adapter.client import replace_message
from storage.db import session_scope
from storage.models import Body, Briefing, Update

NOT_YOURS = (
    "Only the author, someone speaking for the same body, or a chair can change this update. "
    "Nothing was changed."
)
GONE = "That update no longer exists. Nothing was changed."


@dataclass(frozen=True)
class Submission:
    """A new update as someone sent it."""

    user_id: str
    team_id: str | None
    body_code: str | None
    data: UpdateData
    origin: Origin
    briefing_id: int | None = None
    bodies: tuple[Body, ...] | None = None  # the invited bodies the sender speaks for, if known


@dataclass(frozen=True)
class Outcome:
    """What became of a submission or a change."""

    update: Update | None = None
    changed: bool = False
    invalid: Invalid | None = None
    briefing: Briefing | None = None


def _briefing(
    session: Session, deps: Deps, briefing_id: int | None, now: datetime
) -> Briefing | None:
    zone = deps.settings.meeting.timezone
    if briefing_id is not None:
        found = session.get(Briefing, briefing_id)
    else:
        found = current_briefing(session=session, channel=deps.channel, now=now, zone=zone)
    return found if found is not None and accepts_updates(found, now=now, zone=zone) else None


def submit(deps: Deps, submission: Submission, *, now: datetime) -> Outcome:
    """Check and store a new update (once per Slack message or modal)."""
    with session_scope(deps.engine) as session:
        return submit_in(session, deps, submission, now=now)


def submit_in(session: Session, deps: Deps, submission: Submission, *, now: datetime) -> Outcome:
    """`submit` inside the caller's session (committed by the caller)."""
    existing = update_by_key(session=session, key=submission.origin.key)
    if existing is not None:
        return Outcome(existing, False, None, session.get(Briefing, existing.briefing_id))
    checked = _checked(session, deps, submission, now)
    if isinstance(checked, Outcome):
        return checked
    briefing, body = checked
    update, created = save_update(
        session=session,
        origin=submission.origin,
        briefing=briefing,
        body=body,
        author=submission.user_id,
        data=submission.data,
        now=now,
    )
    return Outcome(update, created, None, briefing)


def _checked(
    session: Session, deps: Deps, submission: Submission, now: datetime
) -> tuple[Briefing, Body] | Outcome:
    """The briefing and body a new update goes to, or why it cannot be recorded."""
    briefing = _briefing(session, deps, submission.briefing_id, now)
    if briefing is None:
        return Outcome(invalid=Invalid("briefing", no_briefing_message(), "no_briefing"))
    if submission.bodies is None:
        body = choose_body(
            session=session, user_id=submission.user_id, team_id=submission.team_id,
            briefing=briefing, code=submission.body_code,
        )  # fmt: skip
    else:
        body = pick_body(submission.bodies, submission.body_code)
    if isinstance(body, Invalid):
        return Outcome(invalid=body, briefing=briefing)
    invalid = check_window(briefing, submission.data, now=now, zone=deps.settings.meeting.timezone)
    if invalid is not None:
        return Outcome(invalid=invalid, briefing=briefing)
    return briefing, body


def check_submission(deps: Deps, submission: Submission, *, now: datetime) -> Invalid | None:
    """Why a new update could not be recorded now, or None (reads only, stores nothing)."""
    with session_scope(deps.engine) as session:
        checked = _checked(session, deps, submission, now)
    return checked.invalid if isinstance(checked, Outcome) else None


@dataclass(frozen=True)
class Actor:
    """Who is changing an update."""

    user_id: str
    team_id: str | None
    is_chair: bool


def _changeable(session: Session, update: Update | None, actor: Actor) -> Outcome | None:
    if update is None:
        return Outcome(invalid=Invalid("update", GONE, "gone"))
    if not may_change(
        session=session,
        update=update,
        user_id=actor.user_id,
        team_id=actor.team_id,
        is_chair=actor.is_chair,
    ):
        return Outcome(update=update, invalid=Invalid("update", NOT_YOURS, "not_yours"))
    return None


def edit(
    deps: Deps,
    *,
    update_id: int | None,
    key: str | None,
    data: UpdateData,
    actor: Actor,
    now: datetime,
) -> Outcome:
    """Replace an update's content after the same checks as a new one."""
    with session_scope(deps.engine) as session:
        return edit_in(session, deps, update_id=update_id, key=key, data=data, actor=actor, now=now)


def edit_in(
    session: Session,
    deps: Deps,
    *,
    update_id: int | None = None,
    key: str | None = None,
    data: UpdateData,
    actor: Actor,
    now: datetime,
) -> Outcome:
    """`edit` inside the caller's session (committed by the caller)."""
    update = _find(session, update_id, key)
    refused = _changeable(session, update, actor)
    if refused is not None or update is None:
        return refused or Outcome()
    briefing = session.get(Briefing, update.briefing_id)
    assert briefing is not None
    invalid = check_window(briefing, data, now=now, zone=deps.settings.meeting.timezone)
    if invalid is not None:
        return Outcome(update=update, invalid=invalid, briefing=briefing)
    changed = edit_update(session=session, update=update, data=data, actor=actor.user_id, now=now)
    return Outcome(update, changed, None, briefing)


def check_edit(
    deps: Deps, *, update_id: int, data: UpdateData, actor: Actor, now: datetime
) -> Invalid | None:
    """Why an edit could not be saved now, or None (reads only, stores nothing)."""
    with session_scope(deps.engine) as session:
        update = _find(session, update_id, None)
        refused = _changeable(session, update, actor)
        if refused is not None or update is None:
            return refused.invalid if refused is not None else None
        briefing = session.get(Briefing, update.briefing_id)
        assert briefing is not None
        return check_window(briefing, data, now=now, zone=deps.settings.meeting.timezone)


def may_edit(deps: Deps, *, update_id: int | None, actor: Actor) -> str | None:
    """Why `actor` may not edit an update, or None if they may."""
    with session_scope(deps.engine) as session:
        update = _find(session, update_id, None)
        refused = _changeable(session, update, actor)
    return refused.invalid.message if refused is not None and refused.invalid else None


def _find(session: Session, update_id: int | None, key: str | None) -> Update | None:
    if update_id is not None:
        return get_update(session=session, update_id=update_id)
    return update_by_key(session=session, key=key) if key else None


def withdraw(
    deps: Deps, *, update_id: int | None, key: str | None, actor: Actor, now: datetime
) -> Outcome:
    """Withdraw an update (by id, or by the dedupe key of its Slack message)."""
    with session_scope(deps.engine) as session:
        update = _find(session, update_id, key)
        refused = _changeable(session, update, actor)
        if refused is not None or update is None:
            return refused or Outcome()
        changed = withdraw_update(session=session, update=update, actor=actor.user_id, now=now)
        briefing = session.get(Briefing, update.briefing_id)
    return Outcome(update, changed, None, briefing)


def settle_demand(
    deps: Deps, *, update_id: int, status: DemandStatus, actor: Actor, now: datetime
) -> Outcome:
    """Mark an open urgent demand met or no longer needed."""
    with session_scope(deps.engine) as session:
        update = get_update(session=session, update_id=update_id)
        refused = _changeable(session, update, actor)
        if refused is not None or update is None:
            return refused or Outcome()
        changed = close_demand(
            session=session, update=update, status=status, actor=actor.user_id, now=now
        )
        briefing = session.get(Briefing, update.briefing_id)
    return Outcome(update, changed, None, briefing)


def card_view(deps: Deps, update: Update) -> UpdateView | None:
    """What the card of an update shows, as stored (None if it is gone)."""
    with session_scope(deps.engine) as session:
        return load_update_view(session=session, update_id=update.id or 0)


def post_card(deps: Deps, client: WebClient, update: Update, briefing: Briefing) -> None:
    """Confirm a modal update with a card in the briefing thread, and link the update to it."""
    view = card_view(deps, update)
    if view is None:
        return
    response = client.chat_postMessage(
        channel=briefing.channel_id,
        thread_ts=briefing.thread_ts,
        text=build_card_fallback(view),
        blocks=build_update_card(view, deps.settings.meeting.timezone),
        metadata={
            "event_type": EventType.UPDATE_CARD.value,
            "event_payload": {"update_id": update.id},
        },
        unfurl_links=False,
        unfurl_media=False,
    )
    with session_scope(deps.engine) as session:
        stored = get_update(session=session, update_id=update.id or 0)
        if stored is not None:
            stored.message_ts = str(response["ts"])
            session.add(stored)


def after_change(deps: Deps, client: WebClient, update: Update, briefing: Briefing | None) -> None:
    """Bring the card and any posted digest in line with a changed update."""
    if update.source == "modal" and update.message_ts:
        view = card_view(deps, update)
        if view is not None:
            replace_message(
                client,
                channel=update.channel_id,
                ts=update.message_ts,
                text=build_card_fallback(view),
                blocks=build_update_card(view, deps.settings.meeting.timezone),
                what=f"the card of update {update.id}",
            )
    if briefing is not None:
        refresh_digest(deps, client, briefing)
    if update.kind == UpdateKind.DEMAND.value:
        refresh_header(deps, client, changed_in=update.briefing_id)


def window_text(deps: Deps, briefing: Briefing) -> str:
    """The briefing's windows in local time, for error messages."""
    zone = deps.settings.meeting.timezone
    windows = windows_of(briefing)
    return (
        f"Events from {fmt_local(windows.events_from, zone)} to now; plans from "
        f"{fmt_local(windows.opened_at, zone)} to {fmt_local(windows.plans_until, zone)}."
    )
