"""Telling the chairs something went wrong, by direct message, where Slack still lets us."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_adapter.client import slack_error
from slack_adapter.context import BotContext

log = logging.getLogger(__name__)

# With these the bot's token itself is dead: a direct message would fail the same way.
TOKEN_ERRORS = frozenset({"invalid_auth", "account_inactive", "token_revoked", "not_authed"})


def can_message(error: str | None) -> bool:
    """False when the error means the bot cannot post anything at all (its token is dead)."""
    return error not in TOKEN_ERRORS


def notify_chairs(deps: BotContext, client: WebClient, text: str) -> int:
    """Send `text` to each chair by direct message; returns how many were delivered."""
    delivered = 0
    for user_id in sorted(deps.chairs.chair_ids(client)):
        try:
            # Posting to a user id lands in the bot's direct message with that person.
            client.chat_postMessage(channel=user_id, text=text, unfurl_links=False)
            delivered += 1
        except SlackApiError as exc:
            log.warning("could not alert chair %s: %s", user_id, slack_error(exc))
    if delivered == 0:
        log.warning(
            "no chair could be alerted (chairs configured: %d)", len(deps.settings.meeting.chairs)
        )
    return delivered
