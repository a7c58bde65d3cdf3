"""The demo's stage: the Slack stand-in, a database, and the real app served over real HTTP.

Only Slack is simulated. The app is `bot.app.create_app` behind `bot.server.make_wsgi` and
waitress, exactly as `python -m bot run --http` serves it; requests reach it signed, over a
socket, and its Web API calls go over HTTP to the stand-in.
"""

from __future__ import annotations

import itertools
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TypeVar

import waitress.server
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.app import create_app, deps_for, freeze_start_up
from bot.executor import WorkExecutor
from bot.gate import AckGate
from bot.health import Health
from bot.run import seed_roster
from bot.server import EVENTS_PATH, make_wsgi
from config.settings import Settings
from service.deps import Deps
from standin import Call, FakeSlack
from storage.db import make_engine
from storage.migrate import upgrade

from .slack_requests import SlackRequest, signed_headers

T = TypeVar("T")
CHANNEL = "C0DBMDEMO"
CHAIR = "UCHAIR"
SIGNING_SECRET = "demo-signing-secret-not-a-real-one"
_keys = itertools.count(1)


class SimClock:
    """The injected clock: simulated time that only moves when the demo moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        """The current simulated instant."""
        return self.now

    def set(self, now: datetime) -> None:
        """Move to an aware instant."""
        assert now.tzinfo is not None
        self.now = now


class TrackingExecutor(WorkExecutor):
    """Bolt's listener executor; the demo waits for it to be idle, and fails if it is not."""

    def __init__(self, workers: int = 16, gate: AckGate | None = None) -> None:
        super().__init__(workers, name="listener", gate=gate)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every listener submitted so far has finished."""
        if not super().wait_idle(timeout):
            raise TimeoutError("the app's listeners did not finish in time")
        return True


@dataclass(frozen=True)
class Reply:
    """The app's HTTP answer, how long it took, and the ephemeral replies to its response_url."""

    status: int
    seconds: float
    replies: list[Call]


def demo_settings(base: Settings, *, database_url: str, api_url: str) -> Settings:
    """The user's meeting configuration with the demo's channel, chair, database and stand-in."""
    meeting = replace(base.meeting, chairs=(CHAIR,), chair_usergroup=None)
    return replace(
        base,
        bot_token="xoxb-demo-token",
        signing_secret=SIGNING_SECRET,
        app_token=None,
        database_url=database_url,
        channel=CHANNEL,
        slack_api_url=api_url,
        meeting=meeting,
    )


class Stage:
    """The real app over HTTP on 127.0.0.1, its Web API pointed at the stand-in."""

    def __init__(
        self,
        settings: Settings,
        fake: FakeSlack,
        clock: SimClock,
        engine: Engine,
        *,
        threads: int = 8,
        listener_workers: int = 16,
    ) -> None:
        self.settings, self.fake, self.clock, self.engine = settings, fake, clock, engine
        self.gate = AckGate()  # as bot.run serves it: the work after the acks holds back
        self.executor = TrackingExecutor(listener_workers, gate=self.gate)
        self.app = create_app(
            settings,
            clock=clock,
            engine=engine,
            listener_executor=self.executor,
        )
        self.client: WebClient = self.app.client
        self.deps: Deps = deps_for(self.app)
        wsgi = make_wsgi(self.app, Health(self.deps, self.client).paths(), gate=self.gate)
        self.server = waitress.server.create_server(wsgi, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"  # type: ignore[union-attr]
        self._closing = False
        freeze_start_up()  # as bot.run does once the app is wired
        self._thread = threading.Thread(target=self._serve, name="demo-http", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self.server.run()
        except OSError:
            if not self._closing:  # closing the socket under waitress's loop ends it this way
                raise

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every listener, and the work each one queued, has finished."""
        self.executor.wait_idle(timeout)

    def close(self) -> None:
        """Stop serving and let the listeners finish."""
        self.wait_idle()
        self._closing = True
        self.server.close()
        self._thread.join(timeout=5)
        self.executor.shutdown(wait=True)

    def send(self, request: SlackRequest, *, wait: bool = True) -> tuple[int, float]:
        """POST a signed request to /slack/events; the status and seconds to the answer."""
        headers = signed_headers(self.settings.signing_secret or "", request)
        http = urllib.request.Request(
            self.url + EVENTS_PATH, data=request.body.encode(), headers=headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(http, timeout=30) as answer:
                answer.read()
                status = int(answer.status)
        except urllib.error.HTTPError as error:
            status = error.code
        seconds = time.perf_counter() - started
        if wait:
            self.wait_idle()
        return status, seconds

    def send_with_replies(self, build: Callable[[str], SlackRequest]) -> Reply:
        """Send a request whose response_url is a fresh one; collect what was sent to it."""
        key = f"demo{next(_keys)}"
        status, seconds = self.send(build(self.fake.response_url(key)))
        replies = [c for c in self.fake.calls_to("response_url") if c.args.get("_key") == key]
        return Reply(status, seconds, replies)


@contextmanager
def running_stage(
    base: Settings,
    clock: SimClock,
    *,
    database_url: str | None = None,
    threads: int = 8,
    listener_workers: int = 16,
) -> Iterator[Stage]:
    """The stand-in, a migrated database with the roster seeded, and the app; torn down after."""
    with TemporaryDirectory(prefix="dbm-demo-") as tmp, FakeSlack() as fake:
        url = database_url or f"sqlite:///{Path(tmp) / 'dbm-demo.sqlite3'}"
        settings = demo_settings(base, database_url=url, api_url=fake.base_url)
        engine = make_engine(url)
        upgrade(engine)
        seed_roster(settings, engine, now=clock())
        stage = Stage(
            settings, fake, clock, engine, threads=threads, listener_workers=listener_workers
        )
        try:
            yield stage
        finally:
            stage.close()
            engine.dispose()
