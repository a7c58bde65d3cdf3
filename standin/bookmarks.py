"""bookmarks.* of the stand-in, and files.info for the canvases it holds.

From docs.slack.dev: bookmarks.add takes `channel_id`, `title`, `type` (only `link` is
accepted today) and, for a link, `link`; bookmarks.list answers `{"bookmarks": [...]}`;
bookmarks.edit changes a bookmark's title, link or emoji. The page lists no error code for a
missing link or another type, so the stand-in answers `invalid_arguments` there, and
`bookmark_not_found` for an unknown bookmark id. files.info answers a canvas as the file it is
(a canvas id is a file id), with its permalink; other files are `file_not_found`.
"""

from __future__ import annotations

import copy
from typing import Any

from standin.arguments import _present, _ts_key
from standin.canvases import _invalid
from standin.records import _Canvas, _SlackError
from standin.state import SlackState


class BookmarkMethods(SlackState):
    """Channel bookmarks, and files.info for canvases."""

    def _bookmark_channel(self, args: dict[str, Any]) -> str:
        channel = str(args["channel_id"])
        if not channel.startswith(("C", "G")):
            raise _SlackError("channel_not_found")
        return channel

    def _bookmarks_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._bookmark_channel(args)
        if args["type"] != "link":
            raise _invalid("must be one of: link", "/type")
        if not _present(args.get("link")):
            raise _invalid("missing required field: link", "")
        now = _ts_key(self._new_ts())[0]
        bookmark: dict[str, Any] = {
            "id": self._new_id("Bk"),
            "channel_id": channel,
            "title": str(args["title"]),
            "link": str(args["link"]),
            "emoji": args.get("emoji") or None,
            "icon_url": None,
            "type": "link",
            "entity_id": None,
            "date_created": now,
            "date_updated": 0,
            "rank": "g",
            "last_updated_by_user_id": self.bot_user_id,
            "last_updated_by_team_id": self.team_id,
            "shortcut_id": None,
            "app_id": self.app_id,
        }
        self._bookmarks.setdefault(channel, []).append(bookmark)
        return {"bookmark": copy.deepcopy(bookmark)}

    def _bookmarks_edit(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._bookmark_channel(args)
        found = [b for b in self._bookmarks.get(channel, []) if b["id"] == args["bookmark_id"]]
        if not found:
            raise _SlackError("bookmark_not_found")
        bookmark = found[0]
        for field in ("title", "link", "emoji"):
            if _present(args.get(field)):
                bookmark[field] = str(args[field])
        bookmark["date_updated"] = _ts_key(self._new_ts())[0]
        return {"bookmark": copy.deepcopy(bookmark)}

    def _bookmarks_list(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._bookmark_channel(args)
        return {"bookmarks": copy.deepcopy(self._bookmarks.get(channel, []))}

    def bookmarks(self, channel: str) -> list[dict[str, Any]]:
        """The bookmarks of a channel, in the order they were added."""
        with self._lock:
            return copy.deepcopy(self._bookmarks.get(channel, []))

    # ---- files.info ------------------------------------------------------------------

    def _files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas = self._canvases.get(str(args["file"]))
        if canvas is None:
            raise _SlackError("file_not_found")
        if canvas.deleted:
            raise _SlackError("file_deleted")
        return {"file": self._canvas_file(canvas), "comments": []}

    def _canvas_file(self, canvas: _Canvas) -> dict[str, Any]:
        base = f"https://{self.team_domain}.slack.com"
        return {
            "id": canvas.canvas_id,
            "created": canvas.created,
            "timestamp": canvas.created,
            "name": canvas.title or "Untitled",
            "title": canvas.title or "Untitled",
            "mimetype": "application/vnd.slack-docs",
            "filetype": "quip",
            "pretty_type": "Canvas",
            "user": self.bot_user_id,
            "editable": True,
            "size": len("\n".join(canvas.lines)),
            "mode": "quip",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"{base}/docs/{self.team_id}/{canvas.canvas_id}",
            "permalink": f"{base}/docs/{self.team_id}/{canvas.canvas_id}",
            "channels": [],
            "groups": sorted(c for c in canvas.access if c.startswith(("C", "G"))),
            "ims": [],
            "comments_count": 0,
        }
