"""What Slack would send the app, encoded and signed: slash commands, Events API callbacks,
button presses.

The payloads are the ones the tests send (standin/payloads.py). They are signed with the demo's
signing secret exactly as Slack signs requests (v0 HMAC-SHA256), so the app's real request
verification runs on every one of them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from slack_sdk.signature import SignatureVerifier

from standin import payloads

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class SlackRequest:
    """A body and its content type, ready to be signed and posted."""

    body: str
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


def signed_headers(secret: str, request: SlackRequest) -> dict[str, str]:
    """The headers Slack sends: content type, timestamp (wall clock) and v0 signature."""
    stamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=request.body)
    return {
        "Content-Type": request.content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
        **dict(request.headers),
    }


def slash_command(text: str, *, user: str, channel: str, response_url: str) -> SlackRequest:
    """`/dbm <text>` typed by `user` in `channel`."""
    fields = payloads.slash_command(text, user=user, channel=channel, response_url=response_url)
    return SlackRequest(payloads.form_body(fields), FORM)


def message_event(
    *, user: str, channel: str, text: str, ts: str, thread_ts: str | None
) -> SlackRequest:
    """An Events API callback for a new message (a thread reply when thread_ts is given)."""
    event = payloads.message_event(
        user=user, channel=channel, text=text, ts=ts, thread_ts=thread_ts
    )
    return SlackRequest(json.dumps(payloads.event_callback(event)), JSON)


def button_press(
    *,
    user: str,
    action_id: str,
    channel: str,
    message_ts: str,
    response_url: str,
    value: str = "",
    block_id: str = "dbm_roll_call",
) -> SlackRequest:
    """A block_actions payload: `user` pressed a button on the message at `message_ts`."""
    payload = payloads.block_action(
        user=user,
        action_id=action_id,
        value=value,
        block_id=block_id,
        channel=channel,
        message_ts=message_ts,
        response_url=response_url,
    )
    return SlackRequest(payloads.interactive_body(payload), FORM)
