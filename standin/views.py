"""views.* and files.* of the stand-in."""

from __future__ import annotations

import copy
import mimetypes
from typing import Any

from standin.arguments import (
    _PRETTY_TYPES,
    _XLSX_MIME,
    _int_arg,
    _present,
    _ts_key,
)
from standin.blockkit import (
    validate_view,
)
from standin.records import (
    UploadedFile,
    _error_messages,
    _PendingUpload,
    _SlackError,
)
from standin.state import SlackState


class ViewMethods(SlackState):
    """Modals, App Home views and external file uploads."""

    # ---- views.* -------------------------------------------------------------------

    @staticmethod
    def _checked_view(args: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
        problems = validate_view(args["view"], allowed_types=allowed)
        if problems:
            raise _SlackError("invalid_arguments", response_metadata=_error_messages(problems))
        return dict(args["view"])

    def _store_view(
        self, view_id: str, submitted: dict[str, Any], *, previous: str | None = None
    ) -> dict[str, Any]:
        root = self._views[previous]["root_view_id"] if previous in self._views else view_id
        default_title = {"type": "plain_text", "text": "View Title", "emoji": True}
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": self.team_id,
            "type": submitted["type"],
            "title": copy.deepcopy(submitted.get("title", default_title)),
            "blocks": copy.deepcopy(submitted.get("blocks", [])),
            "close": copy.deepcopy(submitted.get("close")),
            "submit": copy.deepcopy(submitted.get("submit")),
            "private_metadata": submitted.get("private_metadata", ""),
            "callback_id": submitted.get("callback_id", ""),
            "external_id": submitted.get("external_id", ""),
            "state": {"values": {}},
            "hash": self._new_hash(),
            "clear_on_close": bool(submitted.get("clear_on_close", False)),
            "notify_on_close": bool(submitted.get("notify_on_close", False)),
            "previous_view_id": previous,
            "root_view_id": root,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        old = self._views.get(view_id)
        if old is not None and old.get("external_id"):
            self._external_ids.pop(old["external_id"], None)
        if view["external_id"]:
            self._external_ids[view["external_id"]] = view_id
        self._views[view_id] = view
        return copy.deepcopy(view)

    def _claim_external_id(self, submitted: dict[str, Any], view_id: str | None = None) -> None:
        external_id = submitted.get("external_id")
        if external_id and self._external_ids.get(external_id, view_id) != view_id:
            raise _SlackError("duplicate_external_id")

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, ("modal",))
        self._claim_external_id(submitted)
        self._opened.append(copy.deepcopy(submitted))
        return {"view": self._store_view(self._new_id("V"), submitted)}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, ("modal",))
        self._claim_external_id(submitted)
        modals = [v["id"] for v in self._views.values() if v["type"] == "modal"]
        previous = modals[-1] if modals else None
        self._opened.append(copy.deepcopy(submitted))
        return {"view": self._store_view(self._new_id("V"), submitted, previous=previous)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = str(
            args.get("view_id") or self._external_ids.get(str(args.get("external_id")), "")
        )
        current = self._views.get(view_id)
        if current is None:
            raise _SlackError("not_found")
        submitted = self._checked_view(args, (current["type"],))
        self._claim_external_id(submitted, view_id)
        if _present(args.get("hash")) and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict")
        return {"view": self._store_view(view_id, submitted, previous=current["previous_view_id"])}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, ("home",))
        user_id = str(args["user_id"])
        view_id = self._home_views.get(user_id)
        if view_id is not None and _present(args.get("hash")):
            if args["hash"] != self._views[view_id]["hash"]:
                raise _SlackError("hash_conflict")
        view_id = view_id or self._new_id("V")
        self._claim_external_id(submitted, view_id)
        self._home_views[user_id] = view_id
        self._published.setdefault(user_id, []).append(copy.deepcopy(submitted))
        return {"view": self._store_view(view_id, submitted)}

    # ---- files.* -------------------------------------------------------------------

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        length = _int_arg(args["length"], -1)
        if length < 0:
            raise _SlackError(
                "invalid_arguments",
                response_metadata=_error_messages(
                    ["length must be an integer [json-pointer:/length]"]
                ),
            )
        file_id = self._new_id("F")
        self._uploads[file_id] = _PendingUpload(
            file_id, str(args["filename"]), length, args.get("alt_txt")
        )
        return {"upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        if not isinstance(files, list) or not all(
            isinstance(f, dict) and f.get("id") for f in files
        ):
            raise _SlackError("invalid_arguments", response_metadata=_error_messages(["files"]))
        pending = [self._uploads.get(str(f["id"])) for f in files]
        if any(p is None or p.content is None for p in pending):
            raise _SlackError("file_not_found")
        targets = [c for c in str(args.get("channels") or "").split(",") if c]
        channel_id = str(args["channel_id"]) if _present(args.get("channel_id")) else None
        channel_id = channel_id or (targets[0] if targets else None)
        out = []
        for spec, upload in zip(files, pending, strict=True):
            assert upload is not None and upload.content is not None
            title = str(spec.get("title") or upload.filename)
            self._uploaded.append(
                UploadedFile(
                    upload.file_id,
                    upload.filename,
                    title,
                    upload.content,
                    channel_id,
                    args.get("initial_comment"),
                    args.get("thread_ts"),
                )
            )
            out.append(self._file_object(upload, title))
            del self._uploads[upload.file_id]
        if channel_id is not None:
            self._share(channel_id, out, args)
        return {"files": out}

    def _share(self, channel: str, files: list[dict[str, Any]], args: dict[str, Any]) -> None:
        """Slack shares completed uploads into the channel as a message of the app's, carrying
        the initial comment as its text and the files."""
        message = self._bot_message({"text": str(args.get("initial_comment") or "")})
        message["files"] = copy.deepcopy(files)
        message["upload"] = True
        self._attach_thread(channel, message, args.get("thread_ts"))
        self._messages.setdefault(channel, {})[message["ts"]] = message

    def _file_object(self, upload: _PendingUpload, title: str) -> dict[str, Any]:
        ext = upload.filename.rpartition(".")[2].lower() if "." in upload.filename else ""
        mime = mimetypes.guess_type(upload.filename)[0]
        mime = mime or (_XLSX_MIME if ext == "xlsx" else "application/octet-stream")
        path = f"{upload.file_id}/{upload.filename}"
        download = f"{self.team_id}-{upload.file_id}/download/{upload.filename}"
        created = _ts_key(self._new_ts())[0]
        file: dict[str, Any] = {
            "id": upload.file_id,
            "created": created,
            "timestamp": created,
            "name": upload.filename,
            "title": title,
            "mimetype": mime,
            "filetype": ext or "binary",
            "pretty_type": _PRETTY_TYPES.get(ext, ext.upper() or "Binary"),
            "user": self.bot_user_id,
            "user_team": self.team_id,
            "editable": False,
            "size": len(upload.content or b""),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"https://files.slack.com/files-pri/{self.team_id}-{path}",
            "url_private_download": f"https://files.slack.com/files-pri/{download}",
            "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{path}",
            "comments_count": 0,
            "is_starred": False,
            "shares": {},
            "channels": [],
            "groups": [],
            "ims": [],
            "has_more_shares": False,
            "has_rich_preview": False,
            "file_access": "visible",
        }
        if upload.alt_txt:
            file["alt_txt"] = upload.alt_txt
        return file
