"""`python -m bot run`: check everything, serve Slack in Socket Mode or HTTP mode, stop cleanly.

A stop (SIGTERM from a deploy or restart, SIGINT from a terminal) stops taking requests, lets
those in flight be answered and the work after them finish for at most `stop_seconds`, stops
the scheduler, closes the database and exits 0. Whatever work did not finish is still in the
durable intake and runs on the next start.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app, deps_for, freeze_start_up, listeners_for
from bot.executor import WorkExecutor
from bot.gate import AckGate
from bot.health import Health
from bot.scheduler import build_scheduler
from bot.server import HttpServer, health_server, make_wsgi
from config.errors import ConfigError
from config.settings import Settings, require_slack
from handlers.listen import Listeners
from meeting.calendar import local_date
from meeting.roster import seed_bodies
from service.clock import system_clock
from service.deps import Deps
from service.export import catch_up_export
from service.jobs import catch_up_open
from service.recovery import recover_thread
from service.reminders import catch_up_reminder
from service.running_order import catch_up_running_order
from slack_adapter.client import explain, make_client, slack_error
from storage.db import make_engine, require_database_file, session_scope
from storage.migrate import current_revision, head_revision, is_current

log = logging.getLogger(__name__)


def open_database(settings: Settings) -> Engine:
    """An engine for DATABASE_URL, checked reachable; ConfigError if not (a missing SQLite file
    is not created: `python -m bot migrate` makes it)."""
    require_database_file(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).splitlines() or ["unknown error"])[0]
        raise ConfigError(f"DATABASE_URL: cannot connect to the database ({reason})") from None
    return engine


def check_migrated(engine: Engine) -> None:
    """Refuse to run on a database whose schema is not the code's."""
    if not is_current(engine):
        raise ConfigError(
            f"the database is at schema {current_revision(engine) or 'none'} but this version "
            f"needs {head_revision(engine)}: run `python -m bot migrate` first"
        )


def seed_roster(settings: Settings, engine: Engine, now: datetime | None = None) -> int:
    """Add bodies from config/bodies.toml that the database does not have yet."""
    now = now or system_clock()
    with session_scope(engine) as session:
        return seed_bodies(
            session=session,
            seeds=settings.bodies,
            today=local_date(now, settings.meeting.timezone),
            now=now,
        )


def check_slack(client: WebClient) -> None:
    """auth.test, with one clear line if the token is refused or Slack cannot be reached."""
    try:
        client.auth_test()
    except SlackApiError as exc:
        error = slack_error(exc)
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({error}): {explain(error)}"
        ) from None
    except (SlackClientError, OSError) as exc:
        raise ConfigError(
            f"cannot reach Slack at {client.base_url} ({exc.__class__.__name__}): check the "
            "network, any proxy, and SLACK_API_URL if it is set"
        ) from None


def _socket_mode(settings: Settings, mode: str) -> bool:
    if mode == "socket" and not settings.app_token:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set but Socket Mode was asked for: create an app-level token "
            "with connections:write on the app's Basic Information page"
        )
    return mode == "socket" or (mode == "auto" and settings.socket_mode)


@dataclass
class Runtime:
    """A running bot: the app, what it needs, its work pool and its scheduler."""

    app: App
    deps: Deps
    client: WebClient
    listeners: Listeners
    executor: WorkExecutor
    scheduler: BackgroundScheduler
    started: datetime = field(default_factory=system_clock)


def start(settings: Settings, engine: Engine, client: WebClient) -> Runtime:
    """Wire the app, start the scheduler and catch up what was missed while down."""
    executor = WorkExecutor(10, gate=AckGate())
    app = create_app(settings, client=client, engine=engine, listener_executor=executor)
    deps, listeners = deps_for(app), listeners_for(app)
    scheduler = build_scheduler(deps=deps, client=client, listeners=listeners)
    scheduler.start()
    runtime = Runtime(app, deps, client, listeners, executor, scheduler, deps.clock())
    threading.Thread(target=catch_up, args=(runtime,), name="catch-up", daemon=True).start()
    return runtime


def catch_up(runtime: Runtime) -> None:
    """On start: the work of requests stored before it, then the day's missed jobs."""
    deps, client = runtime.deps, runtime.client
    steps: list[tuple[str, Callable[[], object]]] = [
        ("resume stored requests", lambda: runtime.listeners.resume(runtime.started)),
        ("recover the thread", lambda: recover(runtime)),
        ("open today's briefing", lambda: catch_up_open(deps, client)),
        ("send the reminder", lambda: catch_up_reminder(deps, client)),
        ("post the weekly export", lambda: catch_up_export(deps, client)),
        ("post the running order", lambda: catch_up_running_order(deps, client)),
    ]
    for what, step in steps:
        try:
            result = step()
            if what.startswith("resume") and result:
                log.info("resumed %s request(s) stored before this start", result)
        except Exception as exc:
            log.error("could not %s on start: %s", what, exc.__class__.__name__)


def recover(runtime: Runtime) -> int:
    """Store what the day's thread holds and was never received, and run its work."""
    found = recover_thread(runtime.deps, runtime.client, now=runtime.deps.clock())
    for received in found.stored:
        runtime.listeners.run(received)
    return len(found.stored)


@dataclass(frozen=True)
class StopReport:
    """What a clean stop finished, and what it left for the next start."""

    seconds: float
    requests_answered: bool
    work_finished: int
    work_left: int


def stop(runtime: Runtime, stop_serving: Callable[[float], bool], limit: float) -> StopReport:
    """Stop taking requests, let what is in flight finish within `limit` seconds, stop the
    scheduler, close the database."""
    started, before = time.monotonic(), runtime.executor.finished
    answered = stop_serving(limit)
    left = max(limit - (time.monotonic() - started), 0.1)
    runtime.executor.wait_idle(left)
    unfinished = runtime.executor.pending
    runtime.executor.shutdown(wait=False, cancel_futures=True)
    runtime.scheduler.shutdown(wait=False)
    runtime.deps.engine.dispose()
    finished = runtime.executor.finished - before
    return StopReport(time.monotonic() - started, answered, finished, unfinished)


def log_stop(report: StopReport) -> None:
    """The one line an operator sees when the bot stops."""
    answered = "answered" if report.requests_answered else "not all answered (Slack retries them)"
    log.info(
        "stopped in %.1f s: requests in flight %s; %d piece(s) of work finished, %d left for the "
        "next start",
        report.seconds,
        answered,
        report.work_finished,
        report.work_left,
    )


def on_stop_signal(action: Callable[[], None], limit: float) -> None:
    """Call `action` (once, in its own thread) on the first SIGTERM or SIGINT. A stop that has
    not ended the process `limit` seconds later, or a second signal, ends it at once: whatever
    did not finish is in the intake and is resumed on the next start."""
    fired = threading.Event()

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if fired.is_set():
            log.warning("received %s again while stopping: exiting now", name)
            os._exit(1)
        fired.set()
        log.info("received %s: stopping", name)
        threading.Thread(target=_stop_or_exit, args=(action,), name="stop", daemon=True).start()
        timer = threading.Timer(limit + STOP_MARGIN, _overdue, args=(limit,))
        timer.daemon = True
        timer.start()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


# How long past `stop_seconds` a stop may take before the process just ends.
STOP_MARGIN = 5.0


def _stop_or_exit(action: Callable[[], None]) -> None:
    try:
        action()
    except BaseException as exc:  # a stop that cannot finish must still end the process
        log.error("the stop failed (%s): exiting now", exc.__class__.__name__)
        os._exit(1)


def _overdue(limit: float) -> None:
    log.error("the stop took longer than %.0f s: exiting now", limit + STOP_MARGIN)
    os._exit(1)


def serve_http(runtime: Runtime, settings: Settings) -> None:
    """Serve /slack/events and the health checks until a stop signal."""
    health = Health(runtime.deps, runtime.client, runtime.scheduler)
    wsgi = make_wsgi(runtime.app, health.paths(), gate=runtime.executor.gate)
    server = HttpServer(wsgi, host="0.0.0.0", port=settings.port)
    reports: list[StopReport] = []

    def stop_serving(limit: float) -> bool:
        health.stopping.set()
        return server.stop(limit)

    on_stop_signal(
        lambda: reports.append(stop(runtime, stop_serving, settings.stop_seconds)),
        settings.stop_seconds,
    )
    log.info("serving Slack requests on port %d at /slack/events", server.port)
    server.serve()
    while not reports:  # the loop ended because the stop closed it: wait for its report
        time.sleep(0.01)
    log_stop(reports[0])


def serve_socket(runtime: Runtime, settings: Settings) -> None:
    """Serve Slack over Socket Mode, and the health checks on DBM_HEALTH_PORT if it is set,
    until a stop signal."""
    from slack_adapter.socket_mode import SocketModeServer

    assert settings.app_token is not None
    server = SocketModeServer(runtime.app, settings.app_token, gate=runtime.executor.gate)
    health = Health(runtime.deps, runtime.client, runtime.scheduler, serving=server.liveness)
    port = settings.health_port
    checks = None if port is None else health_server(health.paths(), port)
    reports: list[StopReport] = []

    def stop_serving(limit: float) -> bool:
        health.stopping.set()
        answered = server.stop(limit)  # envelopes in flight acked, then the connection closed
        if checks is not None:
            checks.stop(0.5)
        return answered

    on_stop_signal(
        lambda: reports.append(stop(runtime, stop_serving, settings.stop_seconds)),
        settings.stop_seconds,
    )
    if checks is not None:
        threading.Thread(target=checks.serve, name="health", daemon=True).start()
        log.info("serving the health checks on port %d at /livez, /readyz, /healthz", checks.port)
    log.info("connecting to Slack in Socket Mode")
    try:
        server.serve()
    except SlackApiError as exc:
        error = slack_error(exc)
        raise ConfigError(
            f"SLACK_APP_TOKEN was refused by Slack ({error}): create an app-level token with "
            "connections:write on the app's Basic Information page"
        ) from None
    while not reports:
        time.sleep(0.01)
    log_stop(reports[0])


def run(settings: Settings, mode: str = "auto") -> int:
    """Start the bot and serve until stopped (mode: auto, socket or http)."""
    socket = _socket_mode(settings, mode)
    if not socket:
        settings = replace(settings, app_token=None)  # HTTP mode always verifies signatures
    require_slack(settings, http=not socket)
    engine = open_database(settings)
    check_migrated(engine)
    seed_roster(settings, engine)
    client = make_client(settings)
    check_slack(client)
    runtime = start(settings, engine, client)
    freeze_start_up()
    if socket:
        serve_socket(runtime, settings)
    else:
        serve_http(runtime, settings)
    return 0


def resume_window(now: datetime) -> datetime:
    """Requests received before this were not sent by this process's live traffic."""
    return now - timedelta(minutes=2)
