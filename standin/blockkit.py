"""Block Kit validation: `validate_blocks` for a surface, `validate_view` for views."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from standin.elements import (
    _check_element,
    _check_image_element,
)
from standin.problems import (
    _ACTIONS_ELEMENTS,
    _BLOCK_SURFACES,
    _INPUT_ELEMENTS,
    _SECTION_ACCESSORIES,
    ID_MAX,
    MARKDOWN_TEXT_MAX,
    MODAL_TITLE_MAX,
    PRIVATE_METADATA_MAX,
    SURFACE_MAX_BLOCKS,
    _Problems,
)


def _check_section(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    if "text" not in block and "fields" not in block:
        p.add("must provide text or fields", pointer)
    p.text_field(block, "text", pointer, 3000)
    if "fields" in block:
        fields = p.array(block["fields"], f"{pointer}/fields", 10, minimum=1)
        for i, item in enumerate(fields):
            p.text(item, f"{pointer}/fields/{i}", 2000)
    if "accessory" in block:
        _check_element(p, block["accessory"], f"{pointer}/accessory", _SECTION_ACCESSORIES)


def _check_actions(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    elements = p.array(block.get("elements"), f"{pointer}/elements", 25, minimum=1)
    seen: set[str] = set()
    for i, element in enumerate(elements):
        _check_element(p, element, f"{pointer}/elements/{i}", _ACTIONS_ELEMENTS)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in seen:
                p.add(f"duplicate action_id: {action_id}", f"{pointer}/elements/{i}/action_id")
            seen.add(action_id)


def _check_context(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    elements = p.array(block.get("elements"), f"{pointer}/elements", 10, minimum=1)
    for i, element in enumerate(elements):
        ptr = f"{pointer}/elements/{i}"
        if isinstance(element, dict) and element.get("type") == "image":
            _check_image_element(p, element, ptr)
        else:
            p.text(element, ptr, 3000)


def _check_input(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.text_field(block, "label", pointer, 2000, plain_only=True, required=True)
    p.text_field(block, "hint", pointer, 2000, plain_only=True)
    if "element" not in block:
        p.add("missing required field: element", pointer)
    else:
        _check_element(p, block["element"], f"{pointer}/element", _INPUT_ELEMENTS)


def _check_image_block(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    _check_image_element(p, block, pointer)
    p.text_field(block, "title", pointer, 2000, plain_only=True)


def _check_video(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.text_field(block, "title", pointer, 200, plain_only=True, required=True)
    for name in ("alt_text", "thumbnail_url", "video_url"):
        p.string(block, name, pointer, 3000, required=True)


def _check_header(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.text_field(block, "text", pointer, 150, plain_only=True, required=True)


def _check_rich_text(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.array(block.get("elements"), f"{pointer}/elements", 10_000)


def _check_file(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.string(block, "external_id", pointer, ID_MAX, required=True)
    p.string(block, "source", pointer, ID_MAX, required=True)


def _check_markdown(p: _Problems, block: dict[str, Any], pointer: str) -> None:
    p.string(block, "text", pointer, MARKDOWN_TEXT_MAX, required=True)


_BLOCK_CHECKS: dict[str, Callable[[_Problems, dict[str, Any], str], None]] = {
    "section": _check_section,
    "actions": _check_actions,
    "context": _check_context,
    "input": _check_input,
    "image": _check_image_block,
    "video": _check_video,
    "header": _check_header,
    "rich_text": _check_rich_text,
    "file": _check_file,
    "markdown": _check_markdown,
    "divider": lambda p, b, ptr: None,
}


def _check_block(p: _Problems, block: Any, pointer: str, surface: str) -> None:
    if not isinstance(block, dict):
        p.add("must be an object", pointer)
        return
    kind = block.get("type")
    if kind not in _BLOCK_SURFACES:
        p.add(f"unsupported block type: {kind}", f"{pointer}/type")
        return
    if surface not in _BLOCK_SURFACES[str(kind)]:
        p.add(f"block type {kind} is not allowed in a {surface}", f"{pointer}/type")
    p.string(block, "block_id", pointer, ID_MAX)
    _BLOCK_CHECKS[str(kind)](p, block, pointer)


def validate_blocks(
    blocks: list[dict[str, Any]], *, surface: str, pointer: str = "/blocks"
) -> list[str]:
    """Return Slack-style problems with `blocks` on a surface (message, modal, home)."""
    if surface not in SURFACE_MAX_BLOCKS:
        raise ValueError(f"unknown surface {surface!r}; use one of {sorted(SURFACE_MAX_BLOCKS)}")
    p = _Problems()
    items = p.array(blocks, pointer, SURFACE_MAX_BLOCKS[surface])
    block_ids: set[str] = set()
    markdown_chars = 0
    for i, block in enumerate(items):
        _check_block(p, block, f"{pointer}/{i}", surface)
        if not isinstance(block, dict):
            continue
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                p.add(f"duplicate block_id: {block_id}", f"{pointer}/{i}/block_id")
            block_ids.add(block_id)
        if block.get("type") == "markdown" and isinstance(block.get("text"), str):
            markdown_chars += len(block["text"])
    if markdown_chars > MARKDOWN_TEXT_MAX:
        p.add(f"markdown blocks must total less than {MARKDOWN_TEXT_MAX + 1} characters", pointer)
    return p.items


def _has_input_block(blocks: Any) -> bool:
    return isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )


def validate_view(view: Any, *, allowed_types: Iterable[str] = ("modal", "home")) -> list[str]:
    """Return Slack-style problems with a modal or home view object."""
    p = _Problems()
    pointer = "/view"
    allowed = tuple(allowed_types)
    if not isinstance(view, dict):
        p.add("must be an object", pointer)
        return p.items
    kind = view.get("type")
    if kind not in allowed:
        p.add(f"must be one of: {', '.join(allowed)}", f"{pointer}/type")
        return p.items
    if kind == "modal":
        p.text_field(view, "title", pointer, MODAL_TITLE_MAX, plain_only=True, required=True)
        p.text_field(view, "close", pointer, MODAL_TITLE_MAX, plain_only=True)
        p.text_field(view, "submit", pointer, MODAL_TITLE_MAX, plain_only=True)
        if "submit" not in view and _has_input_block(view.get("blocks")):
            p.add("missing required field: submit (the view has input blocks)", pointer)
    p.string(view, "private_metadata", pointer, PRIVATE_METADATA_MAX)
    p.string(view, "callback_id", pointer, ID_MAX)
    p.string(view, "external_id", pointer, ID_MAX)
    if "blocks" not in view:
        p.add("missing required field: blocks", pointer)
    else:
        p.items.extend(
            validate_blocks(view["blocks"], surface=str(kind), pointer=f"{pointer}/blocks")
        )
    return p.items
