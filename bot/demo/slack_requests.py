"""What Slack would send the app: signed slash commands, Events API callbacks, button presses.

The shapes follow Slack's documented payloads, reduced to the fields the app reads. They are
signed with the demo's signing secret exactly as Slack signs requests (v0 HMAC-SHA256), so the
app's real request verification runs on every one of them.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM_ID = "T0DBM"
APP_ID = "A0DBMAPP01"
BOT_USER_ID = "UBOT"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_serial = itertools.count(1)


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
    fields = {
        "api_app_id": APP_ID,
        "team_id": TEAM_ID,
        "team_domain": "nca-dbm",
        "channel_id": channel,
        "channel_name": "dbm",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/dbm",
        "text": text,
        "response_url": response_url,
        "trigger_id": f"{next(_serial)}.{TEAM_ID}.trigger",
    }
    return SlackRequest(urlencode(fields), FORM)


def message_event(
    *, user: str, channel: str, text: str, ts: str, thread_ts: str | None
) -> SlackRequest:
    """An Events API callback for a new message (a thread reply when thread_ts is given)."""
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "channel_type": "group",
        "event_ts": ts,
        "team": TEAM_ID,
        "client_msg_id": f"msg-{ts}",
    }
    if thread_ts:
        event.update(thread_ts=thread_ts, parent_user_id=BOT_USER_ID)
    number = next(_serial)
    envelope = {
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": f"EvDEMO{number:08d}",
        "event_time": int(float(ts)),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        "is_ext_shared_channel": False,
    }
    return SlackRequest(json.dumps(envelope), JSON)


def button_press(
    *, user: str, action_id: str, channel: str, message_ts: str, response_url: str
) -> SlackRequest:
    """A block_actions payload: `user` pressed a button on the message at `message_ts`."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "trigger_id": f"{next(_serial)}.{TEAM_ID}.trigger",
        "team": {"id": TEAM_ID, "domain": "nca-dbm"},
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "channel": {"id": channel, "name": "dbm"},
        "message": {"type": "message", "ts": message_ts, "user": BOT_USER_ID, "text": ""},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "dbm_roll_call",
                "value": "",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return SlackRequest(urlencode({"payload": json.dumps(payload)}), FORM)
