"""Answering the person who sent a request, privately, however it reached us.

Work runs after the ack (or after a restart), so there is no Bolt `respond` to hand: a slash
command or a button in a message is answered through its response_url (valid for 30 minutes,
which a resumed request may have outlived), a message in the channel by an ephemeral message in
its thread, and anything else by direct message.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from slack_adapter.client import slack_error
from slack_adapter.intake import Received

log = logging.getLogger(__name__)

FAILED = (
    "Sorry, that failed on our side and did not finish. Nothing you had recorded was lost; "
    "please try again, or tell a chair if it keeps failing."
)


def user_of(payload: dict[str, Any]) -> str:
    """The Slack id of the person who sent a request (command, interaction or message)."""
    event = payload.get("event") or {}
    user = payload.get("user")
    found = user.get("id") if isinstance(user, dict) else user
    return str(payload.get("user_id") or found or event.get("user") or "")


def tell(
    client: WebClient,
    received: Received,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    *,
    replace: bool = False,
) -> None:
    """Answer the sender of a request privately; a failure is logged, never raised. `replace`:
    a button's answer takes the place of the private message the button was on."""
    payload = received.payload
    try:
        if _fresh_response_url(client, received):
            _by_response_url(str(payload["response_url"]), text, blocks, replace)
        elif (event := payload.get("event") or {}).get("channel") and event.get("user"):
            client.chat_postEphemeral(
                channel=str(event["channel"]),
                user=str(event["user"]),
                text=text,
                blocks=blocks,
                thread_ts=event.get("thread_ts") or event.get("ts"),
            )
        elif user := user_of(payload):
            client.chat_postMessage(channel=user, text=text, blocks=blocks, unfurl_links=False)
    except SlackApiError as exc:
        log.warning("could not answer %s: %s", user_of(payload), slack_error(exc))
    except OSError as exc:
        log.warning("could not answer %s: %s", user_of(payload), exc.__class__.__name__)


def tell_in_thread(
    client: WebClient,
    message: dict[str, Any],
    text: str,
    channel: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Answer the author of a message privately, in its thread; a failure is logged."""
    try:
        client.chat_postEphemeral(
            channel=channel or str(message["channel"]),
            user=str(message["user"]),
            text=text,
            blocks=blocks,
            thread_ts=message.get("thread_ts") or message.get("ts"),
        )
    except SlackApiError as exc:
        log.warning("ephemeral to %s failed: %s", message.get("user"), slack_error(exc))


def tell_failure(client: WebClient, received: Received) -> None:
    """Tell the sender their request failed on our side (never the error itself)."""
    tell(client, received, FAILED)


def _fresh_response_url(client: WebClient, received: Received) -> bool:
    return bool(received.payload.get("response_url")) and received.response_url_valid


def _by_response_url(
    url: str, text: str, blocks: list[dict[str, Any]] | None, replace: bool = False
) -> None:
    # Without replace_original=False, Slack would replace the message the button was on.
    response = WebhookClient(url).send(
        text=text, blocks=blocks, response_type="ephemeral", replace_original=replace
    )
    if response.status_code >= 400:
        log.warning("a response_url answer was refused with HTTP %d", response.status_code)
