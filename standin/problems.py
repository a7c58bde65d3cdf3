"""Block Kit limits, and the collector of Slack-style problem messages."""

from __future__ import annotations

from typing import Any

# --------------------------------------------------------------------------------------
# Block Kit limits (docs.slack.dev Block Kit reference)
# --------------------------------------------------------------------------------------

SURFACE_MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MESSAGE_TEXT_MAX = 40_000
MARKDOWN_TEXT_MAX = 12_000
MAX_ATTACHMENTS = 100
MODAL_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3000
ID_MAX = 255  # block_id, action_id, callback_id, external_id

_SELECTS = frozenset(
    f"{prefix}{kind}_select"
    for prefix in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
)
_INTERACTIVE = frozenset(
    {"button", "checkboxes", "datepicker", "timepicker", "overflow", "radio_buttons"}
    | {"workflow_button"}
    | _SELECTS
)
_SECTION_ACCESSORIES = _INTERACTIVE | {"image"}
_ACTIONS_ELEMENTS = _INTERACTIVE | {"datetimepicker"}
_INPUT_ELEMENTS = (_INTERACTIVE - {"button", "overflow", "workflow_button"}) | {
    "datetimepicker",
    "plain_text_input",
    "email_text_input",
    "url_text_input",
    "number_input",
    "rich_text_input",
    "file_input",
}
_ALL_SURFACES = frozenset(SURFACE_MAX_BLOCKS)
_BLOCK_SURFACES: dict[str, frozenset[str]] = {
    "section": _ALL_SURFACES,
    "divider": _ALL_SURFACES,
    "header": _ALL_SURFACES,
    "image": _ALL_SURFACES,
    "actions": _ALL_SURFACES,
    "context": _ALL_SURFACES,
    "input": _ALL_SURFACES,
    "rich_text": _ALL_SURFACES,
    "video": _ALL_SURFACES,
    "file": frozenset({"message"}),
    "markdown": frozenset({"message"}),
}


class _Problems:
    """Collects Block Kit problems as Slack-style `message [json-pointer:/path]` strings."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str, pointer: str) -> None:
        """Record one problem at a JSON pointer."""
        self.items.append(f"{message} [json-pointer:{pointer}]")

    def string(
        self, owner: dict[str, Any], name: str, pointer: str, limit: int, *, required: bool = False
    ) -> None:
        """Check an optional (or required) string field's type and length."""
        value = owner.get(name)
        if value is None:
            if required:
                self.add(f"missing required field: {name}", pointer)
            return
        if not isinstance(value, str):
            self.add("must provide a string", f"{pointer}/{name}")
        elif len(value) > limit:
            self.add(f"must be less than {limit + 1} characters", f"{pointer}/{name}")

    def array(self, value: Any, pointer: str, maximum: int, minimum: int = 0) -> list[Any]:
        """Check an array's type and size; return its items (empty if not an array)."""
        if not isinstance(value, list):
            self.add("must be an array", pointer)
            return []
        if len(value) > maximum:
            self.add(f"no more than {maximum} items allowed", pointer)
        if len(value) < minimum:
            self.add(f"must provide at least {minimum} items", pointer)
        return value

    def text(self, obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> None:
        """Check a text composition object."""
        if not isinstance(obj, dict):
            self.add("must be an object", pointer)
            return
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.add(f"must be one of: {', '.join(allowed)}", f"{pointer}/type")
        value = obj.get("text")
        if not isinstance(value, str):
            self.add("must provide a string", f"{pointer}/text")
        elif not value:
            self.add("must be more than 0 characters", f"{pointer}/text")
        elif len(value) > limit:
            self.add(f"must be less than {limit + 1} characters", f"{pointer}/text")

    def text_field(
        self,
        owner: dict[str, Any],
        name: str,
        pointer: str,
        limit: int,
        *,
        plain_only: bool = False,
        required: bool = False,
    ) -> None:
        """Check a text object held in `owner[name]`."""
        if name not in owner:
            if required:
                self.add(f"missing required field: {name}", pointer)
            return
        self.text(owner[name], f"{pointer}/{name}", limit, plain_only=plain_only)
