"""The Slack app manifest validates against Slack's schema and asks only for scopes we use."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED, needs_shared

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "config" / "slack-manifest.json"
SCHEMAS = SHARED / "slack-specs" / "manifest-schema"
SOURCE_DIRS = ("bot", "handlers", "service", "slack_adapter", "meeting", "blocks", "storage")

# What in our code needs each scope: Web API methods (as slack_sdk calls them), events, commands.
SCOPE_EVIDENCE = {
    "commands": [r"app\.command\("],
    "chat:write": [r"\.chat_postMessage\("],
    "groups:history": [r"\.conversations_history\(", r"\.conversations_replies\("],
    "groups:read": [r"\.conversations_info\(", r"\.conversations_members\("],
    "reactions:write": [r"\.reactions_add\("],
    "pins:write": [r"\.pins_add\("],
    "files:write": [r"\.files_upload_v2\("],
    "users:read": [r"\.users_info\("],
    "usergroups:read": [r"\.usergroups_users_list\("],
    "im:write": [r"\.conversations_open\("],
    "canvases:write": [r"\.canvases_create\(", r"\.canvases_edit\("],
    "canvases:read": [r"\.canvases_sections_lookup\("],
    "bookmarks:write": [r"\.bookmarks_add\(", r"\.bookmarks_edit\("],
    "bookmarks:read": [r"\.bookmarks_list\("],
    "files:read": [r"\.files_info\("],
}
EVENT_EVIDENCE = {
    "app_home_opened": [r"app\.event\(\s*\"app_home_opened\""],
    "message.groups": [r"app\.event\(\s*\"message\"", r"app\.message\("],
}


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text())
    return data


def _source() -> str:
    return "\n".join(
        path.read_text() for d in SOURCE_DIRS for path in sorted((ROOT / d).rglob("*.py"))
    )


@needs_shared()
def test_manifest_validates_against_slacks_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "schemas" / "manifest.schema.1.0.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(_manifest())


@needs_shared()
def test_schema_rejects_a_broken_manifest() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "schemas" / "manifest.schema.1.0.0.json").read_text())
    broken = _manifest()
    broken["features"]["slash_commands"][0]["command"] = "dbm without slash"
    del broken["display_information"]["name"]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


@pytest.mark.parametrize("scope", _manifest()["oauth_config"]["scopes"]["bot"])
def test_every_scope_is_used_by_the_code(scope: str) -> None:
    patterns = SCOPE_EVIDENCE.get(scope)
    assert patterns, f"scope {scope} has no known use: remove it from the manifest or map it here"
    source = _source()
    assert any(re.search(p, source) for p in patterns), f"nothing in the code uses {scope}"


@pytest.mark.parametrize("event", _manifest()["settings"]["event_subscriptions"]["bot_events"])
def test_every_subscribed_event_is_handled(event: str) -> None:
    patterns = EVENT_EVIDENCE[event]
    assert any(re.search(p, _source()) for p in patterns), f"no listener for {event}"


def test_every_web_api_method_used_has_its_scope() -> None:
    granted = set(_manifest()["oauth_config"]["scopes"]["bot"])
    used = set(
        re.findall(
            r"\.(chat|conversations|reactions|pins|files|users|usergroups|canvases|bookmarks)_(\w+)\(",
            _source(),
        )
    )
    needs = {
        ("chat", "postMessage"): "chat:write",
        ("chat", "update"): "chat:write",
        ("chat", "delete"): "chat:write",
        ("chat", "postEphemeral"): "chat:write",
        ("conversations", "history"): "groups:history",
        ("conversations", "replies"): "groups:history",
        ("conversations", "info"): "groups:read",
        ("conversations", "members"): "groups:read",
        ("conversations", "open"): "im:write",
        ("reactions", "add"): "reactions:write",
        ("reactions", "remove"): "reactions:write",
        ("pins", "add"): "pins:write",
        ("pins", "remove"): "pins:write",
        ("files", "upload_v2"): "files:write",
        ("users", "info"): "users:read",
        ("usergroups", "users_list"): "usergroups:read",
        ("canvases", "create"): "canvases:write",
        ("canvases", "edit"): "canvases:write",
        ("canvases", "delete"): "canvases:write",
        ("canvases", "access_set"): "canvases:write",
        ("canvases", "sections_lookup"): "canvases:read",
        ("conversations", "canvases_create"): "canvases:write",
        ("bookmarks", "add"): "bookmarks:write",
        ("bookmarks", "edit"): "bookmarks:write",
        ("bookmarks", "list"): "bookmarks:read",
        ("files", "info"): "files:read",
    }
    for family, method in used:
        if (family, method) in needs:
            assert needs[(family, method)] in granted, (
                f"{family}.{method} needs {needs[(family, method)]}"
            )


def test_slash_command_is_dbm_and_escapes_mentions() -> None:
    (command,) = _manifest()["features"]["slash_commands"]
    assert command["command"] == "/dbm"
    assert command["should_escape"] is True
