"""The Web API client: our base URL, and retries for rate limits and transient faults."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from config.settings import Settings

log = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "invalid_auth",
        "account_inactive",
        "is_archived",
        "token_revoked",
        "missing_scope",
        "not_authed",
    }
)


def make_client(settings: Settings) -> WebClient:
    """A WebClient for the bot token that retries 429s, 5xx and dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def slack_error(exc: SlackApiError) -> str:
    """The error code Slack answered with (e.g. "channel_not_found")."""
    data = exc.response.data if exc.response is not None else None
    if isinstance(data, dict):
        return str(data.get("error", "unknown_error"))
    return "unknown_error"


def explain(error: str) -> str:
    """One line for the log saying what a Slack error means and what to do."""
    hints = {
        "not_in_channel": "invite the bot to the channel (/invite @DBM Bot)",
        "channel_not_found": "check DBM_CHANNEL is the channel's id and the bot was invited",
        "invalid_auth": "SLACK_BOT_TOKEN is wrong or was rotated: set the current token",
        "token_revoked": "the app was uninstalled or the token revoked: reinstall the app",
        "account_inactive": "the app's bot user was deactivated: reinstall the app",
        "missing_scope": "the app lacks a scope: update it from config/slack-manifest.json",
        "is_archived": "the briefing channel is archived: unarchive it or set DBM_CHANNEL",
    }
    return hints.get(error, "see Slack's documentation for this error")


def replace_message(
    client: WebClient, *, channel: str, ts: str, text: str, blocks: list[Any], what: str
) -> bool:
    """Replace a posted message's text and blocks; a failure is logged (naming `what`), not
    raised, since the record it shows is already stored."""
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("could not update %s: %s; %s", what, error, explain(error))
        return False
    return True


# Errors after which asking again about anyone else is pointless.
_NO_NAMES = frozenset({"missing_scope", "not_allowed_token_type", "invalid_auth", "token_revoked"})


def name_lookup(client: WebClient, *, with_id: bool = True) -> Callable[[str], str]:
    """People's names by Slack id, as "Real Name (U123)" (or the name alone, without `with_id`),
    each asked of Slack once; the bare id where Slack cannot say (a deleted user, or an install
    without users:read)."""
    known: dict[str, str] = {}
    stopped: list[str] = []

    def name(user_id: str) -> str:
        if user_id in known or stopped:
            return known.get(user_id, user_id)
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except SlackApiError as exc:
            error = slack_error(exc)
            log.info("no name for %s: %s", user_id, error)
            if error in _NO_NAMES:
                stopped.append(error)
            known[user_id] = user_id
            return user_id
        profile = user.get("profile") or {}
        shown = profile.get("real_name") or user.get("real_name") or user.get("name")
        known[user_id] = (f"{shown} ({user_id})" if with_id else shown) if shown else user_id
        return known[user_id]

    return name
