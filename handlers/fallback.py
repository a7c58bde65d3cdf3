"""Requests no other listener takes: a button from an older message or an unknown form.

Bolt would answer them with a 404 and the person would see nothing happen. They are answered
privately instead, and nothing is changed.
"""

from __future__ import annotations

import re

from slack_bolt import App
from slack_sdk import WebClient

from handlers.answer import tell
from handlers.listen import Listeners
from service.deps import Deps
from slack_adapter.intake import Received

ANY = re.compile(".*")
STALE = (
    "That button is from an older message, or no longer does anything, so nothing was changed. "
    "`/dbm help` lists what you can do."
)


def handle_unknown(deps: Deps, client: WebClient, received: Received) -> None:
    """Tell the person their press or form did nothing (it changed nothing)."""
    tell(client, received, STALE)


def register(app: App, listeners: Listeners) -> None:
    """Wire the catch-alls (registered after every other listener: Bolt tries them in order)."""
    no_key = lambda body: None  # noqa: E731 (nothing is changed, so nothing to store)
    listeners.durable(app.action(ANY), "unknown_action", handle_unknown, no_key)
    listeners.durable(app.view(ANY), "unknown_view", handle_unknown, no_key)
