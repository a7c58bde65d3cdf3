"""HTTP dispatch of the stand-in: Web API methods, upload URLs and response_urls."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import parse_qsl

from standin.arguments import (
    _MISSING_BY_METHOD,
    _MISSING_DEFAULT,
    REQUIRED_ARGS,
    _decode_json_args,
    _loads_or_none,
    _multipart_parts,
    _present,
)
from standin.records import (
    Call,
    _json_response,
    _Request,
    _Response,
    _SlackError,
)
from standin.scopes import check_scope
from standin.state import SlackState

# Methods called with the app-level token (xapp-) rather than the bot's.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


class Dispatch(SlackState):
    """Routes HTTP requests to method handlers, checking tokens and required arguments."""

    # ---- HTTP dispatch -------------------------------------------------------------

    def _handle_http(self, request: _Request) -> _Response:
        with self._lock:
            if request.path.startswith("/api/"):
                return self._handle_api(request, request.path[len("/api/") :])
            if request.path.startswith("/upload/") and request.verb == "POST":
                return self._handle_upload(request, request.path[len("/upload/") :])
            if request.path.startswith("/response/") and request.verb == "POST":
                return self._handle_response_url(request, request.path[len("/response/") :])
            return _Response(404, b"not found", "text/plain; charset=utf-8")

    def _handle_api(self, request: _Request, method: str) -> _Response:
        token = self._header_token(request)
        try:
            args, form_token = self._request_args(request)
        except _SlackError as exc:
            self._record(Call(method, {}, token))
            return _json_response({"ok": False, "error": exc.error})
        token = token or form_token
        self._record(Call(method, copy.deepcopy(args), token))
        fault = self._take_fault(method)
        injected = self._take_injection(method) if fault is None else None
        if injected is not None:
            return injected
        try:
            data = self._run_method(method, args, token)
        except _SlackError as exc:
            return _json_response({"ok": False, "error": exc.error, **exc.extra})
        if fault is not None and fault.kind == "acted_then_error":
            return _json_response({"ok": False, "error": "fatal_error"}, fault.status)
        response = _json_response({"ok": True, **data})
        if fault is not None:
            response.delay = fault.delay  # the work is done; the answer comes too late
        return response

    def _run_method(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        handler = self._handlers.get(method)
        if handler is None:
            raise _SlackError("unknown_method", req_method=method)
        if not token:
            raise _SlackError("not_authed")
        if method in APP_TOKEN_METHODS:  # an app-level token, and only there
            if not token.startswith("xapp-"):
                raise _SlackError("not_allowed_token_type")
        elif not token.startswith(("xoxb-", "xoxp-")):
            raise _SlackError("invalid_auth")
        check_scope(self._scopes, method)
        self._check_required(method, args)
        return handler(args)

    @staticmethod
    def _header_token(request: _Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        return value.strip()

    @staticmethod
    def _request_args(request: _Request) -> tuple[dict[str, Any], str | None]:
        """Merge query and body args; return (args, token given as a form/query arg)."""
        args: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True))
        content_type = request.headers.get("content-type", "").lower()
        body_is_json = content_type.startswith("application/json")
        if body_is_json and request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                raise _SlackError("invalid_json") from None
            if not isinstance(body, dict):
                raise _SlackError("json_not_object")
            body.pop("token", None)  # Slack ignores a token inside a JSON body
            args.update(body)
        elif content_type.startswith("multipart/form-data"):
            for part in _multipart_parts(request.headers["content-type"], request.body):
                if part.name and part.filename is None:
                    args[part.name] = part.content.decode("utf-8", "replace")
        elif request.body:
            args.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        token = args.pop("token", None)
        return _decode_json_args(args), (str(token) if token else None)

    def _check_required(self, method: str, args: dict[str, Any]) -> None:
        for group in REQUIRED_ARGS.get(method, ()):
            if any(_present(args.get(name)) for name in group):
                continue
            first = group[0]
            error = _MISSING_BY_METHOD.get(method, {}).get(first) or _MISSING_DEFAULT.get(first)
            if error:
                raise _SlackError(error)
            missing = " or ".join(group)
            raise _SlackError(
                "invalid_arguments",
                response_metadata={"messages": [f"[ERROR] missing required field: {missing}"]},
            )

    def _handle_upload(self, request: _Request, file_id: str) -> _Response:
        content = request.body
        args: dict[str, Any] = {"file_id": file_id}
        content_type = request.headers.get("content-type", "")
        if content_type.lower().startswith("multipart/form-data"):
            files = [p for p in _multipart_parts(content_type, request.body) if p.filename]
            content = files[0].content if files else b""
            args["filename"] = files[0].filename if files else None
        args["size"] = len(content)
        self._record(Call("file_upload", args, self._header_token(request)))
        injected = self._take_injection("file_upload")
        if injected is not None:
            return injected
        pending = self._uploads.get(file_id)
        if pending is None:
            return _Response(404, b"upload not found", "text/plain; charset=utf-8")
        pending.content = content
        return _Response(200, f"OK - {len(content)}".encode(), "text/plain; charset=utf-8")

    def _handle_response_url(self, request: _Request, key: str) -> _Response:
        body = _loads_or_none(request.body or b"{}")
        if body is None:
            form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
            body = _loads_or_none(form["payload"]) if "payload" in form else form
        args = dict(body) if isinstance(body, dict) else {"_body": body}
        args["_key"] = key
        self._record(Call("response_url", _decode_json_args(args), None))
        injected = self._take_injection("response_url")
        return injected if injected is not None else _json_response({"ok": True})
