"""The bot under test: the real app served over HTTP on 127.0.0.1, driven by signed requests."""

from __future__ import annotations

import itertools
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import waitress.server
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.app import create_app, deps_for, listeners_for
from bot.health import Health
from bot.server import make_wsgi
from config.settings import Settings
from demo.stage import TrackingExecutor
from service.deps import Deps
from standin import payloads
from storage.db import session_scope
from tests.rig.fake_slack import Call, FakeSlack
from tests.rig.signing import signed_headers

T = TypeVar("T")
_keys = itertools.count(1)


class FakeClock:
    """A clock tests set and advance; never sleeps."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 8, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        """The current fake instant."""
        return self.now

    def set(self, now: datetime) -> None:
        """Move to an aware instant."""
        assert now.tzinfo is not None, "FakeClock needs aware datetimes"
        self.now = now

    def advance(self, **delta: float) -> None:
        """Move forward by a timedelta's keyword arguments."""
        self.now = self.now + timedelta(**delta)


@dataclass
class Response:
    """An HTTP response from the app."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class CommandResult:
    """A slash command's HTTP response and the ephemeral replies sent to its response_url."""

    response: Response
    replies: list[Call]

    @property
    def text(self) -> str:
        """All reply texts (and block texts) joined, for assertions."""
        return "\n".join(_call_text(call) for call in self.replies)


def _call_text(call: Call) -> str:
    texts = [str(call.args.get("text", ""))]
    for block in call.args.get("blocks") or []:
        texts.append(json.dumps(block, ensure_ascii=False))
    return "\n".join(texts)


class BotUnderTest:
    """The real Bolt app behind a real HTTP server, its Web API pointed at a FakeSlack."""

    def __init__(self, settings: Settings, fake: FakeSlack, clock: FakeClock, engine: Engine):
        self.settings, self.fake, self.clock, self.engine = settings, fake, clock, engine
        self.executor = TrackingExecutor()
        self.app = create_app(settings, clock=clock, engine=engine, listener_executor=self.executor)
        self.deps: Deps = deps_for(self.app)
        self.listeners = listeners_for(self.app)
        self.client = self.app.client
        self.health = Health(self.deps, self.client)
        wsgi = make_wsgi(self.app, self.health.paths())
        self.server = waitress.server.create_server(wsgi, host="127.0.0.1", port=0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"  # type: ignore[union-attr]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def scheduler(self) -> Any:
        """The scheduler the health checks look at (none unless a test starts one)."""
        return self.health.scheduler

    @scheduler.setter
    def scheduler(self, scheduler: Any) -> None:
        self.health.scheduler = scheduler

    def _serve(self) -> None:
        self.server.run()

    def _close_in_loop(self) -> None:
        # Runs inside waitress's poll loop (via its trigger): closing every dispatcher empties
        # the loop's map, so the loop returns at once instead of after its 1 s poll timeout.
        self.server.task_dispatcher.shutdown(timeout=5)
        for dispatcher in list(self.server._map.values()):  # type: ignore[union-attr]
            dispatcher.close()

    def close(self) -> None:
        """Stop the server and the executor."""
        self.executor.wait_idle()
        self.server.trigger.pull_trigger(self._close_in_loop)  # type: ignore[union-attr]
        self._thread.join(timeout=5)
        assert not self._thread.is_alive(), "the test server did not stop"
        self.executor.shutdown(wait=True)

    def post(
        self,
        body: str,
        *,
        content_type: str,
        path: str = "/slack/events",
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
        wait: bool = True,
    ) -> Response:
        """POST a signed request to the app and (by default) wait for its listeners to finish."""
        all_headers = signed_headers(
            secret or self.settings.signing_secret or "",
            body,
            content_type=content_type,
            timestamp=timestamp,
        )
        all_headers.update(headers or {})
        request = urllib.request.Request(
            self.url + path, data=body.encode(), headers=all_headers, method="POST"
        )
        response = self._send(request)
        if wait:
            self.executor.wait_idle()
        return response

    def get(self, path: str) -> Response:
        """GET a path of the app."""
        return self._send(urllib.request.Request(self.url + path, method="GET"))

    @staticmethod
    def _send(request: urllib.request.Request) -> Response:
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return Response(reply.status, reply.read().decode(), dict(reply.headers))
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(), dict(error.headers))

    def command(self, text: str, *, user: str, channel: str | None = None) -> CommandResult:
        """Run `/dbm <text>` as `user`; returns the HTTP response and the ephemeral replies."""
        key = f"cmd{next(_keys)}"
        fields = payloads.slash_command(
            text,
            user=user,
            channel=channel or self.settings.channel or "C0DBM",
            response_url=self.fake.response_url(key),
        )
        response = self.post(
            payloads.form_body(fields), content_type="application/x-www-form-urlencoded"
        )
        replies = [c for c in self.fake.calls_to("response_url") if c.args.get("_key") == key]
        return CommandResult(response, replies)

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> Response:
        """Deliver an Events API callback (optionally as Slack's retry number N)."""
        envelope = payloads.event_callback(event, event_id=event_id)
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(envelope), content_type="application/json", headers=headers)

    def interact(self, payload: dict[str, Any]) -> Response:
        """Deliver an interactivity payload (block_actions, view_submission)."""
        return self.post(
            payloads.interactive_body(payload), content_type="application/x-www-form-urlencoded"
        )

    def press(self, action_id: str, *, user: str, value: str = "", **kwargs: Any) -> CommandResult:
        """Press a button in a message; returns the response and replies to its response_url."""
        key = f"act{next(_keys)}"
        payload = payloads.block_action(
            user=user,
            action_id=action_id,
            value=value,
            response_url=self.fake.response_url(key),
            **kwargs,
        )
        response = self.interact(payload)
        replies = [c for c in self.fake.calls_to("response_url") if c.args.get("_key") == key]
        return CommandResult(response, replies)

    def run_job(self, job: Callable[[Deps, Any], T], at: datetime) -> T:
        """Run a scheduled job function at a chosen instant."""
        self.clock.set(at)
        return job(self.deps, self.client)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A database session on the bot's database."""
        with session_scope(self.engine) as session:
            yield session
