"""The OAuth scopes the stand-in checks: those of the canvas, bookmark and files.info methods.

By default every scope is granted. `FakeSlack.set_scopes` narrows the token's scopes, and a
method whose scope is missing answers as Slack does (docs.slack.dev, "Scopes" and each
method's page): `{"ok": false, "error": "missing_scope", "needed": ..., "provided": ...}`.
The older methods the bot has used since the start are not checked here (the manifest test
maps each of them to its scope instead).
"""

from __future__ import annotations

from standin.records import _SlackError

METHOD_SCOPES: dict[str, str] = {
    "canvases.create": "canvases:write",
    "canvases.edit": "canvases:write",
    "canvases.delete": "canvases:write",
    "canvases.access.set": "canvases:write",
    "canvases.sections.lookup": "canvases:read",
    "conversations.canvases.create": "canvases:write",
    "bookmarks.add": "bookmarks:write",
    "bookmarks.edit": "bookmarks:write",
    "bookmarks.remove": "bookmarks:write",
    "bookmarks.list": "bookmarks:read",
    "files.info": "files:read",
}


def check_scope(granted: frozenset[str] | None, method: str) -> None:
    """Raise Slack's missing_scope error when `method` needs a scope the token lacks."""
    needed = METHOD_SCOPES.get(method)
    if granted is None or needed is None or needed in granted:
        return
    raise _SlackError("missing_scope", needed=needed, provided=",".join(sorted(granted)))
