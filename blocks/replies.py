"""The private answers to a thread reply: how a recorded update was read (with Edit, Withdraw
and, when its kind was worked out, buttons to change the kind), a nil return recorded, and what
could not be read (with the choices, or a button opening the form filled in with what was)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blocks.ids import ActionId, BlockId
from blocks.text import Block, actions, button, context, escape, section
from blocks.updates import withdraw_button
from meeting.labels import KIND_LABELS
from meeting.timefmt import fmt_day, fmt_local

# One action per kind: in a block every button needs its own action_id.
KIND_ACTIONS = {
    "event": ActionId.REPLY_AS_EVENT,
    "plan": ActionId.REPLY_AS_PLAN,
    "demand": ActionId.REPLY_AS_DEMAND,
}
KIND_BUTTONS = {"event": "It's an event", "plan": "It's a plan", "demand": "It's a demand"}
FORM_BUTTON = "Open the form with this filled in"


@dataclass(frozen=True)
class Confirmation:
    """How a recorded reply was read, for the private note to its sender."""

    update_id: int
    reply_key: str
    kind: str
    body_code: str
    threats: tuple[str, ...]
    at: datetime | None  # when an event happened or a plan is planned; a demand's due time
    zone: ZoneInfo
    notes: tuple[str, ...] = ()  # how the kind or a time was read
    inferred: bool = False  # the kind was worked out, not written
    late: bool = False
    changed: bool = False  # the update was changed (an edit, another kind), not recorded now


@dataclass(frozen=True)
class Offer:
    """What a private answer about a reply offers: to record it as one of `kinds` (the reply's
    key is the buttons' value), and the form filled in with what was read of it."""

    key: str
    kinds: tuple[str, ...] = ()
    form: bool = True


@dataclass(frozen=True)
class NilNote:
    """A nil return recorded: the briefing's day and each body with its state now."""

    day: date
    bodies: tuple[tuple[str, str], ...]  # (code, "nil" or "present")


def kind_of_action(action_id: str) -> str | None:
    """The kind a reply's kind button records (None for any other action)."""
    return next((kind for kind, action in KIND_ACTIONS.items() if action == action_id), None)


def recorded_as(view: Confirmation) -> str:
    """Like "Significant event · FIREARMS · Sun 22 Nov 22:40 GMT" (a demand: "due …")."""
    parts = [KIND_LABELS[view.kind], " + ".join(view.threats) or "no threat"]
    if view.at is not None:
        when = fmt_local(view.at, view.zone)
        parts.append(f"due {when}" if view.kind == "demand" else when)
    elif view.kind == "demand":
        parts.append("no due time")
    return " · ".join(parts)


def confirmation_text(view: Confirmation) -> str:
    """The note's first line, with no text of the sender's (it is the notification too)."""
    if view.changed:
        return f"Changed: {view.body_code}'s update is now recorded as: {recorded_as(view)}"
    return f"Recorded for {view.body_code} as: {recorded_as(view)}"


def _buttons(view: Confirmation) -> list[dict[str, Any]]:
    value = str(view.update_id)
    withdraw = withdraw_button(view.update_id)
    kinds = [
        button(KIND_BUTTONS[kind], KIND_ACTIONS[kind], value=view.reply_key)
        for kind in KIND_ACTIONS
        if view.inferred and kind != view.kind
    ]
    return [button("Edit", ActionId.UPDATE_EDIT, value=value), withdraw, *kinds]


def build_confirmation(view: Confirmation) -> list[Block]:
    """The private note confirming how a reply was recorded, with its buttons."""
    notes = [escape(note) for note in view.notes]
    if view.inferred:
        notes.append("If it is another kind, press the button for it.")
    if view.late:
        notes.append("It came after the digest, so it is marked late.")
    blocks = [section(f":white_check_mark: {confirmation_text(view)}")]
    if notes:
        blocks.append(context(*notes))
    blocks.append(actions(*_buttons(view), block_id=BlockId.REPLY_ACTIONS))
    return blocks


def build_answer(message: str, offer: Offer | None) -> list[Block]:
    """What could not be read (escaped: it quotes the sender), with the choices and the form."""
    blocks = [section(escape(message))]
    if offer is None:
        return blocks
    buttons = [button(KIND_BUTTONS[k], KIND_ACTIONS[k], value=offer.key) for k in offer.kinds]
    if offer.form:
        buttons.append(button(FORM_BUTTON, ActionId.REPLY_FORM, value=offer.key))
    if buttons:
        blocks.append(actions(*buttons, block_id=BlockId.REPLY_ACTIONS))
    return blocks


def nil_text(note: NilNote) -> str:
    """A nil return recorded, body by body."""
    said = []
    for code, state in note.bodies:
        if state == "nil":
            said.append(f"{code} present, nothing to report")
        else:
            said.append(f"{code} stays present: it has updates at this briefing")
    return f"Recorded at the briefing of {fmt_day(note.day)}: {'; '.join(said)}."


def build_nil_confirmation(note: NilNote) -> list[Block]:
    """The private note confirming a nil return."""
    return [
        section(f":white_check_mark: {nil_text(note)}"),
        context("To change it, use the roll-call buttons on the briefing header."),
    ]
