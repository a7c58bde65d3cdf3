"""Checks of Block Kit interactive elements and composition objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin.problems import (
    _SELECTS,
    ID_MAX,
    _Problems,
)


def _check_confirm(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    confirm = element.get("confirm")
    if confirm is None:
        return
    ptr = f"{pointer}/confirm"
    if not isinstance(confirm, dict):
        p.add("must be an object", ptr)
        return
    p.text_field(confirm, "title", ptr, 100, plain_only=True, required=True)
    p.text_field(confirm, "text", ptr, 300, required=True)
    p.text_field(confirm, "confirm", ptr, 30, plain_only=True, required=True)
    p.text_field(confirm, "deny", ptr, 30, plain_only=True, required=True)


def _check_option(p: _Problems, option: Any, pointer: str, *, plain_only: bool) -> None:
    if not isinstance(option, dict):
        p.add("must be an object", pointer)
        return
    p.text_field(option, "text", pointer, 75, plain_only=plain_only, required=True)
    p.string(option, "value", pointer, 150, required=True)
    p.text_field(option, "description", pointer, 75, plain_only=plain_only)
    p.string(option, "url", pointer, 3000)


def _check_options(
    p: _Problems, element: dict[str, Any], pointer: str, maximum: int, *, plain_only: bool
) -> None:
    options = p.array(element.get("options"), f"{pointer}/options", maximum, minimum=1)
    for i, option in enumerate(options):
        _check_option(p, option, f"{pointer}/options/{i}", plain_only=plain_only)


def _check_button(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "text", pointer, 75, plain_only=True, required=True)
    p.string(element, "value", pointer, 2000)
    p.string(element, "url", pointer, 3000)
    p.string(element, "accessibility_label", pointer, 75)
    if element.get("style") not in (None, "primary", "danger"):
        p.add("must be one of: primary, danger", f"{pointer}/style")


def _check_workflow_button(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "text", pointer, 75, plain_only=True, required=True)
    if not isinstance(element.get("workflow"), dict):
        p.add("missing required field: workflow", pointer)


def _check_select(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "placeholder", pointer, 150, plain_only=True)
    if element["type"].removeprefix("multi_") != "static_select":
        return
    if "options" in element and "option_groups" in element:
        p.add("must provide either options or option_groups, not both", pointer)
    elif "option_groups" in element:
        groups = p.array(element["option_groups"], f"{pointer}/option_groups", 100, minimum=1)
        for i, group in enumerate(groups):
            ptr = f"{pointer}/option_groups/{i}"
            if isinstance(group, dict):
                p.text_field(group, "label", ptr, 75, plain_only=True, required=True)
                _check_options(p, group, ptr, 100, plain_only=True)
            else:
                p.add("must be an object", ptr)
    elif "options" in element:
        _check_options(p, element, pointer, 100, plain_only=True)
    else:
        p.add("missing required field: options", pointer)


def _check_text_input(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "placeholder", pointer, 150, plain_only=True)
    for name in ("min_length", "max_length"):
        value = element.get(name)
        if value is not None and (not isinstance(value, int) or not 0 <= value <= 3000):
            p.add("must be an integer between 0 and 3000", f"{pointer}/{name}")


def _check_image_element(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.string(element, "alt_text", pointer, 2000, required=True)
    p.string(element, "image_url", pointer, 3000)
    if "image_url" not in element and "slack_file" not in element:
        p.add("missing required field: image_url", pointer)


def _check_placeholder(p: _Problems, element: dict[str, Any], pointer: str) -> None:
    p.text_field(element, "placeholder", pointer, 150, plain_only=True)


_ELEMENT_CHECKS: dict[str, Callable[[_Problems, dict[str, Any], str], None]] = {
    "button": _check_button,
    "workflow_button": _check_workflow_button,
    "overflow": lambda p, e, ptr: _check_options(p, e, ptr, 5, plain_only=True),
    "checkboxes": lambda p, e, ptr: _check_options(p, e, ptr, 10, plain_only=False),
    "radio_buttons": lambda p, e, ptr: _check_options(p, e, ptr, 10, plain_only=False),
    "plain_text_input": _check_text_input,
    "image": _check_image_element,
    **dict.fromkeys(_SELECTS, _check_select),
    **dict.fromkeys(
        ("datepicker", "timepicker", "email_text_input", "url_text_input", "number_input"),
        _check_placeholder,
    ),
}


def _check_element(p: _Problems, element: Any, pointer: str, allowed: frozenset[str]) -> None:
    if not isinstance(element, dict):
        p.add("must be an object", pointer)
        return
    kind = element.get("type")
    if kind not in allowed:
        p.add(f"unsupported element type: {kind}", f"{pointer}/type")
        return
    p.string(element, "action_id", pointer, ID_MAX)
    _check_confirm(p, element, pointer)
    check = _ELEMENT_CHECKS.get(str(kind))
    if check is not None:
        check(p, element, pointer)
