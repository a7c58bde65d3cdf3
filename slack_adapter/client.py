"""The Web API client: our base URL, and retries for rate limits and transient faults."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest

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


# Calls that make something new in Slack each time they succeed. After a 5xx, a timeout or a
# dropped connection Slack may have acted, so they are not repeated blindly: the caller looks
# for what it posted first (`post_once`). A 429 means Slack did nothing: always retried.
NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "files.completeUploadExternal",
        "canvases.create",
        "canvases.edit",
        "conversations.canvases.create",
        "bookmarks.add",
    }
)
T = TypeVar("T")
# Seconds to wait, after a post failed without saying whether Slack acted, before looking.
UNSURE_PAUSE = 1.0


def _method(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1]


class RepeatableServerErrors(ServerErrorRetryHandler):
    """Retries a 5xx answer, except for calls that must not be repeated blindly."""

    def _can_retry(self, *, request: HttpRequest, **kwargs: Any) -> bool:
        return _method(request) not in NOT_REPEATABLE and super()._can_retry(
            request=request, **kwargs
        )


class RepeatableConnectionErrors(ConnectionErrorRetryHandler):
    """Retries a dropped connection, except for calls that must not be repeated blindly."""

    def _can_retry(self, *, request: HttpRequest, **kwargs: Any) -> bool:
        return _method(request) not in NOT_REPEATABLE and super()._can_retry(
            request=request, **kwargs
        )


def make_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    """A WebClient for the bot token: 429s always retried; 5xx and dropped connections retried
    only for calls that are safe to repeat."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=timeout,
        retry_handlers=[
            RepeatableConnectionErrors(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            RepeatableServerErrors(max_retry_count=2),
        ],
    )


def unsure(exc: BaseException) -> bool:
    """True when Slack may have acted although the call failed: a 5xx answer, a timeout, a
    dropped connection (TimeoutError is an OSError, not a SlackApiError)."""
    if isinstance(exc, SlackApiError):
        return exc.response is not None and exc.response.status_code >= 500
    return isinstance(exc, (OSError, SlackClientError))


def failure(exc: BaseException) -> str:
    """A short name for why a Slack call failed: Slack's error code, or the exception's class."""
    if isinstance(exc, SlackApiError):
        return slack_error(exc)
    return exc.__class__.__name__


def post_once(
    find: Callable[[], T | None],
    post: Callable[[], T],
    what: str,
    *,
    attempts: int = 3,
) -> T:
    """Post something that must appear once. An earlier attempt that landed is found first; a
    post that fails without saying whether Slack acted (5xx, timeout, dropped connection) is
    looked for after a pause, and posted again only if it is not there."""
    found = find()
    if found is not None:
        log.info("%s was already in Slack: not posted again", what)
        return found
    for attempt in range(1, attempts + 1):
        try:
            return post()
        except Exception as exc:
            if not unsure(exc):
                raise
            time.sleep(UNSURE_PAUSE * attempt)  # give Slack a moment to show what it did
            found = find()
            if found is not None:
                log.warning("%s landed although Slack answered %s: kept", what, failure(exc))
                return found
            if attempt == attempts:
                raise
            log.warning("%s failed (%s) and is not in Slack: posting again", what, failure(exc))
    raise AssertionError("unreachable")


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
