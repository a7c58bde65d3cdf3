"""Sending the participants' guidance by direct message, once per person.

The guidance feature (issue 5) owns this module; other features call `deliver_once`.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps


def deliver_once(deps: Deps, client: WebClient, *, user_id: str, reason: str) -> bool:
    """DM the current guidance to a person who has not had it; True if it was sent now."""
    return False
