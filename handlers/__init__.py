"""Slack-facing listeners: they translate payloads into calls and results into messages."""

from slack_bolt import App

from handlers import (
    attendance,
    briefing,
    commands,
    guidance,
    home,
    messages,
    roster,
    update_actions,
    updates,
)

MODULES = (
    commands,
    briefing,
    guidance,
    home,
    attendance,
    roster,
    updates,
    update_actions,
    messages,
)


def register_all(app: App) -> None:
    """Wire every handler module's listeners into the app."""
    for module in MODULES:
        module.register(app)
