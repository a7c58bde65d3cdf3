"""What Slack sends an app: slash commands, events, block actions and view submissions.

Shapes follow Slack's docs and the java-slack-sdk samples in shared/slack-specs. The tests post
them to the app through tests/rig; the demo and the bench through bot/demo/slack_requests.py.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

TEAM_ID = "T0DBM"
APP_ID = "A0DBMAPP01"  # the stand-in's app (standin/state.py)
BOT_USER_ID = "UBOT"
_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def slash_command(
    text: str, *, user: str, channel: str, response_url: str, command: str = "/dbm"
) -> dict[str, str]:
    """The form fields of a slash command invocation."""
    return {
        "token": "legacy-verification-token",
        "api_app_id": APP_ID,
        "team_id": TEAM_ID,
        "team_domain": "nca-dbm",
        "channel_id": channel,
        "channel_name": "dbm",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "response_url": response_url,
        "trigger_id": f"{_n()}.{TEAM_ID}.trigger",
        "is_enterprise_install": "false",
    }


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """An Events API envelope around an inner event."""
    number = _n()
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{number:08d}",
        "event_time": 1763700000 + number,
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{number}",
    }


def message_event(
    *,
    user: str,
    channel: str,
    text: str,
    ts: str,
    thread_ts: str | None = None,
    team: str = TEAM_ID,
) -> dict[str, Any]:
    """A `message` event (channel_type group: a private channel)."""
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "channel_type": "group",
        "event_ts": ts,
        "team": team,
        "client_msg_id": f"msg-{ts}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = BOT_USER_ID
    return event


def block_action(
    *,
    user: str,
    action_id: str,
    value: str = "",
    block_id: str = "b",
    channel: str | None = None,
    message_ts: str | None = None,
    response_url: str = "",
    view: dict[str, Any] | None = None,
    team: str = TEAM_ID,
) -> dict[str, Any]:
    """A block_actions payload for a button press in a message (or a view)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{_n()}.{TEAM_ID}.trigger",
        "team": {"id": TEAM_ID, "domain": "nca-dbm"},
        "is_enterprise_install": False,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "action_ts": f"1763700{_n():03d}.000000",
            }
        ],
    }
    if channel and message_ts:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel, "name": "dbm"}
        payload["message"] = {"type": "message", "ts": message_ts, "user": BOT_USER_ID, "text": ""}
        payload["response_url"] = response_url
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        payload["view"] = view
    return payload


def view_submission(
    *,
    user: str,
    callback_id: str,
    values: dict[str, dict[str, Any]],
    private_metadata: str = "",
    view_id: str | None = None,
) -> dict[str, Any]:
    """A view_submission payload; `values` is state.values (block_id -> action_id -> value)."""
    number = _n()
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "nca-dbm"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{number}.{TEAM_ID}.trigger",
        "view": {
            "id": view_id or f"V{number:08d}",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": f"{number}.hash",
            "title": {"type": "plain_text", "text": "DBM"},
            "app_id": APP_ID,
            "bot_id": "BBOT",
        },
        "is_enterprise_install": False,
    }


def app_home_opened(*, user: str) -> dict[str, Any]:
    """An app_home_opened event."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": f"1763700{_n():03d}.000100",
    }


def form_body(fields: dict[str, str]) -> str:
    """URL-encode form fields."""
    from urllib.parse import urlencode

    return urlencode(fields)


def interactive_body(payload: dict[str, Any]) -> str:
    """The form body Slack posts for interactivity: payload=<json>."""
    return form_body({"payload": json.dumps(payload)})
