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
# Why an update sent as a reply or through the form was not recorded (Refusal.reason), in words.
REFUSAL_LABELS = {
    "classified": "Marked SECRET or above",
    "bad_character": "A character that cannot be stored (NUL)",
    "not_an_update": "Not readable as an update",
    "ambiguous_kind": "Kind unclear (choice offered)",
    "missing_threat": "No threat named",
    "unknown_threat": "Threat not recognised",
    "missing_time": "No time given",
    "no_time": "No time of day given",
    "unclear_date": "Date not readable",
    "not_uk_date": "Date not day first",
    "weekday_mismatch": "Weekday does not match the date",
    "nonexistent_time": "Time skipped by the clock change",
    "ambiguous_time": "Time repeated by the clock change",
    "missing_summary": "No summary",
    "summary_too_long": "Summary too long",
    "bad_location": "Location not usable",
    "bad_respond": "Body asked to respond not usable",
    "outside_window": "Outside the reporting window",
    "due_passed": "Due time already passed",
    "not_member": "Sender speaks for no invited body",
    "several_bodies": "Sender speaks for several bodies",
    "no_briefing": "No open briefing",
}

# Limits on what people type (Slack's own limits are larger).
MAX_SUMMARY = 1500
MAX_LOCATION = 200


def label(labels: dict[str, str], code: str | None) -> str:
    """The label of a code, or the code itself where there is none (never an error)."""
    if code is None:
        return ""
    return labels.get(code, code)
