"""Labels and limits shown to people: one place for the words the bot uses for its codes."""

from __future__ import annotations

# The three kinds of update, as the meeting names them.
KIND_LABELS = {"event": "Significant event", "plan": "Operational plan", "demand": "Urgent demand"}
# Where an update stands.
UPDATE_STATUS_LABELS = {"active": "Active", "withdrawn": "Withdrawn"}
# Where an urgent demand stands.
DEMAND_STATUS_LABELS = {
    "open": "Open",
    "met": "Met",
    "withdrawn": "No longer needed",
    "lapsed": "Lapsed",
}

# Limits on what people type (Slack's own limits are larger).
MAX_SUMMARY = 1500
MAX_LOCATION = 200


def label(labels: dict[str, str], code: str | None) -> str:
    """The label of a code, or the code itself where there is none (never an error)."""
    if code is None:
        return ""
    return labels.get(code, code)


# Why an update could not be recorded (storage.models.Refusal.reason), in words.
REFUSAL_LABELS: dict[str, str] = {}
