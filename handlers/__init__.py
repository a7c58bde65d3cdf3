"""Slack-facing listeners: they translate payloads into calls and results into messages."""

from slack_bolt import App

from handlers import briefing, commands

MODULES = (commands, briefing)


def register_all(app: App) -> None:
    """Wire every handler module's listeners into the app."""
    for module in MODULES:
        module.register(app)
