"""The update modal, the update card posted in the thread, and the open-demands list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from blocks.ids import ActionId, BlockId, CallbackId, InputId
from blocks.text import Block, actions, button, context, escape, plain_text, section, truncate
from config.files import Threat
from meeting.labels import KIND_LABELS, MAX_LOCATION, MAX_SUMMARY
from meeting.timefmt import fmt_local
from meeting.update_view import UpdateView

KIND_EMOJI = {"event": ":newspaper:", "plan": ":calendar:", "demand": ":rotating_light:"}
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")


@dataclass(frozen=True)
class BodyOption:
    """A body offered in a select."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class ModalView:
    """What the update modal shows; `update_id` is set when editing."""

    briefing_id: int
    title_line: str
    threats: tuple[Threat, ...]
    bodies: tuple[BodyOption, ...]
    respond_bodies: tuple[BodyOption, ...]
    update_id: int | None = None
    kind: str | None = None
    threat_codes: tuple[str, ...] = ()
    when: datetime | None = None
    location: str | None = None
    summary: str | None = None
    marking: str = "OFFICIAL"
    respond_body_id: int | None = None
    body_code: str | None = None  # the body chosen first, for someone speaking for several


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain_text(text, limit=75), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label, limit=2000),
        "element": element,
        "optional": optional,
    }
    return block


def _select(action_id: str, options: list[dict[str, Any]], initial: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id, "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _threat_select(view: ModalView) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    for label, priority in (("National priority threats", True), ("Other threats", False)):
        options = [
            _option(("★ " if priority else "") + f"{t.code}: {t.name}", t.code)
            for t in view.threats
            if t.priority is priority
        ]
        if options:
            groups.append({"label": plain_text(label, limit=75), "options": options})
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": InputId.THREATS,
        "option_groups": groups,
        "placeholder": plain_text("Choose one or more"),
    }
    initial = [o for g in groups for o in g["options"] if o["value"] in view.threat_codes]
    if initial:
        element["initial_options"] = initial
    return element


def _text_input(
    action_id: str, limit: int, value: str | None, *, multiline: bool
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": action_id,
        "max_length": limit,
        "multiline": multiline,
    }
    if value:
        element["initial_value"] = value
    return element


def _body_block(view: ModalView) -> list[Block]:
    if len(view.bodies) == 1:
        body = view.bodies[0]
        return [context(f"Reporting for *{body.code}* ({escape(body.name)})")]
    options = [_option(f"{b.code}: {b.name}", b.code) for b in view.bodies]
    select = _select(InputId.BODY, options, view.body_code)
    return [_input(BlockId.UPDATE_BODY, "Reporting for", select)]


def _when_element(view: ModalView) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datetimepicker", "action_id": InputId.WHEN}
    if view.when is not None:
        element["initial_date_time"] = int(view.when.timestamp())
    return element


def _fixed_body(view: ModalView) -> str | None:
    return view.bodies[0].code if len(view.bodies) == 1 else None


def _respond_block(view: ModalView) -> list[Block]:
    respond = [_option(f"{b.code}: {b.name}", str(b.id)) for b in view.respond_bodies[:100]]
    if not respond:
        return []
    initial = str(view.respond_body_id) if view.respond_body_id else None
    element = _select(InputId.RESPOND_BODY, respond, initial)
    label = "Body asked to respond (urgent demands only)"
    return [_input(BlockId.UPDATE_RESPOND_BODY, label, element, optional=True)]


def _detail_blocks(view: ModalView) -> list[Block]:
    return [
        _input(
            BlockId.UPDATE_WHEN,
            "When (an event: when it happened; a plan: when it is planned; "
            "a demand: when it is due, optional)",
            _when_element(view),
            optional=True,
        ),
        _input(
            BlockId.UPDATE_LOCATION,
            "Location or region",
            _text_input(InputId.LOCATION, MAX_LOCATION, view.location, multiline=False),
            optional=True,
        ),
        _input(
            BlockId.UPDATE_SUMMARY,
            "Summary",
            _text_input(InputId.SUMMARY, MAX_SUMMARY, view.summary, multiline=True),
        ),
        _input(
            BlockId.UPDATE_MARKING,
            "Handling marking (never SECRET or above)",
            _select(InputId.MARKING, [_option(m, m) for m in MARKINGS], view.marking),
        ),
    ]


def build_update_modal(view: ModalView) -> dict[str, Any]:
    """The modal for adding (or editing) an update."""
    kinds = [_option(label, value) for value, label in KIND_LABELS.items()]
    blocks: list[Block] = [
        context(view.title_line),
        _input(BlockId.UPDATE_KIND, "Kind", _select(InputId.KIND, kinds, view.kind)),
        _input(BlockId.UPDATE_THREATS, "Threats", _threat_select(view)),
        *([] if view.update_id else _body_block(view)),
        *_detail_blocks(view),
        *_respond_block(view),
    ]
    editing = view.update_id is not None
    return {
        "type": "modal",
        "callback_id": CallbackId.UPDATE_EDIT_MODAL if editing else CallbackId.UPDATE_MODAL,
        "title": plain_text("Edit update" if editing else "Add an update", limit=24),
        "submit": plain_text("Save" if editing else "Record", limit=24),
        "close": plain_text("Cancel", limit=24),
        "private_metadata": json.dumps(
            {"briefing": view.briefing_id, "update": view.update_id, "body": _fixed_body(view)}
        ),
        "blocks": blocks,
    }


def threat_text(codes: tuple[str, ...]) -> str:
    """Threat codes, with a cross-cutting flag when there are several."""
    joined = " + ".join(codes) or "no threat"
    return f"{joined} :link: _cross-cutting_" if len(codes) > 1 else joined


def _card_lines(card: UpdateView, zone: ZoneInfo) -> list[str]:
    title = f"{KIND_EMOJI[card.kind]} *{KIND_LABELS[card.kind]}* from *{card.body_code}*"
    lines = [title, f"*Threats:* {threat_text(card.threats)}"]
    if card.occurs_at is not None:
        lines.append(f"*When:* {fmt_local(card.occurs_at, zone)}")
    if card.kind == "demand":
        due = fmt_local(card.due_at, zone) if card.due_at else "not given"
        asked = f" · *Asked of:* {card.respond_body_code}" if card.respond_body_code else ""
        lines.append(f"*Status:* {card.demand_status or 'open'} · *Due:* {due}{asked}")
    if card.location:
        lines.append(f"*Where:* {escape(card.location)}")
    lines.append(escape(truncate(card.summary, 2000)))
    return lines


def _card_buttons(card: UpdateView) -> list[dict[str, Any]]:
    value = str(card.update_id)
    buttons = [button("Edit", ActionId.UPDATE_EDIT, value=value)]
    buttons.append(withdraw_button(card.update_id))
    if card.kind == "demand" and (card.demand_status or "open") == "open":
        buttons.append(button("Demand met", ActionId.DEMAND_MET, value=value, style="primary"))
        buttons.append(button("Demand no longer needed", ActionId.DEMAND_WITHDRAW, value=value))
    return buttons


def build_update_card(card: UpdateView, zone: ZoneInfo) -> list[Block]:
    """The card confirming an update in the briefing thread, with its buttons; times in `zone`."""
    notes = [card.marking, f"update {card.update_id}"]
    if card.late:
        notes.append("late: after the digest")
    if card.status == "withdrawn":
        return [
            section(f"~{KIND_LABELS[card.kind]} from {card.body_code}~ *withdrawn*"),
            context(" · ".join(notes)),
        ]
    return [
        section("\n".join(_card_lines(card, zone))),
        context(" · ".join(notes)),
        actions(*_card_buttons(card), block_id=BlockId.UPDATE_CARD_ACTIONS),
    ]


def build_card_fallback(card: UpdateView) -> str:
    """Notification text of a card (no user text, so nothing can ping)."""
    return f"{KIND_LABELS[card.kind]} from {card.body_code} recorded (update {card.update_id})."


def withdraw_button(update_id: int) -> dict[str, Any]:
    """The *Withdraw* button of an update, asking the presser to confirm."""
    withdraw = button("Withdraw", ActionId.UPDATE_WITHDRAW, value=str(update_id), style="danger")
    withdraw["confirm"] = {
        "title": plain_text("Withdraw this update?", limit=100),
        "text": plain_text("It leaves the digest; the audit trail keeps a record.", limit=300),
        "confirm": plain_text("Withdraw", limit=30),
        "deny": plain_text("Keep it", limit=30),
    }
    return withdraw
