"""The update modal: what it offers a person, and reading what they submitted."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from blocks.ids import BlockId, InputId
from blocks.updates import BodyOption, ModalView, build_update_modal
from meeting.briefings import windows_of
from meeting.classification import classification_marking
from meeting.labels import MAX_LOCATION, MAX_SUMMARY
from meeting.parsing import UpdateKind
from meeting.reading import UNSTORABLE
from meeting.reading_types import Draft
from meeting.roster import invited_bodies, speaker_bodies
from meeting.timefmt import fmt_day, fmt_local
from meeting.updates import UpdateData, current_briefing, get_update, no_briefing_message
from service.deps import Deps
from storage.db import session_scope
from storage.models import Body, Briefing, Update

NO_BODY = (
    "You are not listed as speaking for any body invited to this briefing, so you cannot add "
    "updates yet. Ask a chair to add you to your body with `/dbm member`."
)
UNSTORABLE_FIELD = (
    "This has an invisible character that cannot be stored (a NUL, often pasted in from "
    "another system): type it again."
)
CLASSIFIED = (
    "Refused: this looks like SECRET or TOP SECRET material. This workspace is for OFFICIAL "
    "and OFFICIAL-SENSITIVE only; do not post classified material here."
)


def _options(bodies: list[Body]) -> tuple[BodyOption, ...]:
    return tuple(BodyOption(b.id or 0, b.code, b.name) for b in bodies)


def _title_line(deps: Deps, briefing: Briefing) -> str:
    zone, windows = deps.settings.meeting.timezone, windows_of(briefing)
    return (
        f"For the briefing of *{fmt_day(briefing.meeting_date)}*. Events since "
        f"{fmt_local(windows.events_from, zone)}; plans until "
        f"{fmt_local(windows.plans_until, zone)}. OFFICIAL material only (mark "
        "OFFICIAL-SENSITIVE where it applies); never SECRET or above."
    )


def modal_for_new(
    deps: Deps, *, user_id: str, team_id: str | None, now: datetime, draft: Draft | None = None
) -> dict[str, Any] | str:
    """The modal for a new update (filled in with a draft: what was read of a thread reply), or
    why the person cannot add one now."""
    zone = deps.settings.meeting.timezone
    with session_scope(deps.engine) as session:
        briefing = current_briefing(session=session, channel=deps.channel, now=now, zone=zone)
        if briefing is None or briefing.id is None:
            return no_briefing_message()
        invited = invited_bodies(session=session, day=briefing.meeting_date)
        ids = {b.id for b in invited}
        mine = [
            b
            for b in speaker_bodies(session=session, user_id=user_id, team_id=team_id)
            if b.id in ids
        ]
    if not mine:
        return NO_BODY
    view = ModalView(
        briefing_id=briefing.id,
        title_line=_title_line(deps, briefing),
        threats=deps.settings.threats,
        bodies=_options(mine),
        respond_bodies=_options(invited),
    )
    return build_update_modal(view if draft is None else _drafted(view, draft))


def _drafted(view: ModalView, draft: Draft) -> ModalView:
    """The new-update modal filled in with what was read of a reply."""
    known = {threat.code for threat in view.threats}
    return replace(
        view,
        kind=draft.kind.value if draft.kind is not None else None,
        threat_codes=tuple(code for code in draft.threats if code in known),
        when=draft.occurs_at,
        location=(draft.location or "")[:MAX_LOCATION] or None,
        summary=draft.summary[:MAX_SUMMARY] or None,
        body_code=draft.body_code,
    )


def modal_for_edit(deps: Deps, *, update_id: int) -> dict[str, Any] | str:
    """The modal prefilled with an update, or why it cannot be edited."""
    with session_scope(deps.engine) as session:
        update = get_update(session=session, update_id=update_id)
        if update is None or update.status != "active":
            return "That update was withdrawn or no longer exists, so it cannot be edited."
        briefing = session.get(Briefing, update.briefing_id)
        assert briefing is not None
        invited = invited_bodies(session=session, day=briefing.meeting_date)
    return build_update_modal(_prefilled(deps, briefing, update, invited))


def _prefilled(deps: Deps, briefing: Briefing, update: Update, invited: list[Body]) -> ModalView:
    return ModalView(
        briefing_id=briefing.id or 0,
        title_line=_title_line(deps, briefing),
        threats=deps.settings.threats,
        bodies=(),
        respond_bodies=_options(invited),
        update_id=update.id,
        kind=update.kind,
        threat_codes=tuple(update.threats),
        when=update.occurs_at or update.due_at,
        location=update.location,
        summary=update.summary,
        marking=update.marking,
        respond_body_id=update.respond_body_id,
    )


@dataclass
class Form:
    """A submitted modal: the update, the chosen body code, and errors by block_id."""

    data: UpdateData | None = None
    body_code: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _value(values: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    found = values.get(block, {}).get(action, {})
    return found if isinstance(found, dict) else {}


def _selected(values: dict[str, Any], block: str, action: str) -> str | None:
    option = _value(values, block, action).get("selected_option") or {}
    return str(option["value"]) if "value" in option else None


def _when(values: dict[str, Any]) -> datetime | None:
    raw = _value(values, BlockId.UPDATE_WHEN, InputId.WHEN).get("selected_date_time")
    return datetime.fromtimestamp(int(raw), tz=UTC) if raw else None


def _checks(
    kind: UpdateKind, threats: list[str], when: datetime | None, summary: str, location: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not threats:
        errors[BlockId.UPDATE_THREATS] = "Choose at least one threat."
    if kind is not UpdateKind.DEMAND and when is None:
        what = "the event happened" if kind is UpdateKind.EVENT else "the operation is planned"
        errors[BlockId.UPDATE_WHEN] = f"Give the date and time {what}."
    if not summary:
        errors[BlockId.UPDATE_SUMMARY] = "Write a summary: what happened or is planned, and where."
    elif len(summary) > MAX_SUMMARY:
        errors[BlockId.UPDATE_SUMMARY] = f"Keep the summary under {MAX_SUMMARY} characters."
    if classification_marking(summary) or classification_marking(location):
        errors[BlockId.UPDATE_SUMMARY] = CLASSIFIED
    for block, text in ((BlockId.UPDATE_SUMMARY, summary), (BlockId.UPDATE_LOCATION, location)):
        if UNSTORABLE in text:
            errors[block] = UNSTORABLE_FIELD
    return errors


def read_form(values: dict[str, Any], fixed_body: str | None) -> Form:
    """Read the modal's state values into an update, or errors keyed by block_id."""
    kind = UpdateKind(_selected(values, BlockId.UPDATE_KIND, InputId.KIND) or "event")
    threats = [
        str(o["value"])
        for o in _value(values, BlockId.UPDATE_THREATS, InputId.THREATS).get("selected_options")
        or []
    ]
    when = _when(values)
    summary = str(
        _value(values, BlockId.UPDATE_SUMMARY, InputId.SUMMARY).get("value") or ""
    ).strip()
    location = str(
        _value(values, BlockId.UPDATE_LOCATION, InputId.LOCATION).get("value") or ""
    ).strip()
    errors = _checks(kind, threats, when, summary, location)
    if errors:
        return Form(errors=errors)
    respond = _selected(values, BlockId.UPDATE_RESPOND_BODY, InputId.RESPOND_BODY)
    data = UpdateData(
        kind=kind,
        threats=tuple(threats),
        occurs_at=when,
        summary=summary,
        location=location or None,
        marking=_selected(values, BlockId.UPDATE_MARKING, InputId.MARKING) or "OFFICIAL",
        respond_body_id=int(respond)
        if respond and respond.isdigit() and len(respond) <= 9
        else None,
    )
    body = fixed_body or _selected(values, BlockId.UPDATE_BODY, InputId.BODY)
    return Form(data=data, body_code=body)


def field_block(field_name: str, present: set[str]) -> str:
    """The modal block an error about `field_name` is shown on."""
    blocks = {"when": BlockId.UPDATE_WHEN, "due": BlockId.UPDATE_WHEN, "body": BlockId.UPDATE_BODY}
    block = blocks.get(field_name, BlockId.UPDATE_SUMMARY)
    return block if block in present else BlockId.UPDATE_SUMMARY
