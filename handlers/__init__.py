"""Slack-facing listeners: they translate payloads into use-case calls and results into
messages. Each module's `register(app, listeners)` wires its listeners; every request that
changes the record is committed before Slack is answered (handlers/listen.py)."""

from slack_bolt import App

from handlers import (
    attendance,
    audit,
    briefing,
    commands,
    demands,
    fallback,
    guidance,
    home,
    messages,
    order,
    reply_actions,
    roster,
    update_actions,
    updates,
)
from handlers.listen import Listeners

# Bolt tries listeners in the order they were registered, each at a cost on the ack path, so
# the most frequent requests come first: thread replies, roll-call presses, then /dbm.
MODULES = (
    messages,
    attendance,
    commands,
    updates,
    update_actions,
    reply_actions,
    demands,
    guidance,
    home,
    briefing,
    roster,
    order,
    audit,
    fallback,  # last: it takes whatever no listener above took
)


def register_all(app: App, listeners: Listeners) -> None:
    """Wire every handler module's listeners into the app."""
    for module in MODULES:
        module.register(app, listeners)
