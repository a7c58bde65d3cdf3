"""Health: liveness (/livez), readiness (/readyz) and the whole report (/healthz).

- Liveness: the process's own machinery runs (the scheduler's thread; in Socket Mode the SDK's
  reader, dispatcher and monitor threads). Nothing outside the process counts: restarting the
  bot mends none of Slack, the network or the database.
- Readiness: the bot can take a request and keep it, i.e. the database is reachable, at the
  code's schema and commits a write (storage/probe.py), and no stop has begun. Slack's Web API
  does not count: while it is away the bot still stores every request it acks and does the work
  when it can; a load balancer that stopped sending Slack's requests would turn those 200s
  into Slack's retries and then into losses.
- /healthz: everything, Slack's auth.test included, for people and monitors. No part names the
  workspace or the bot: the endpoints answer whoever asks (`python -m bot health`, run on the
  host, does name them).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler
from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from service.clock import Clock
from service.deps import Deps
from slack_adapter.client import slack_error
from storage.migrate import is_current
from storage.probe import problem, write_probe

log = logging.getLogger(__name__)

Report = dict[str, Any]
Timer = Callable[[], float]
# Readiness writes a row: at most once in this many seconds, however often it is asked.
DATABASE_TTL = 5.0


def instance_name() -> str:
    """This instance's name in the probe table: its host (a container's is its own)."""
    return socket.gethostname()[:120] or "dbm-bot"


def slack_auth(client: WebClient) -> Report:
    """{"ok": bool, ...} from auth.test, with the workspace and bot names."""
    try:
        response = client.auth_test()
        return {"ok": True, "team": response.get("team"), "user": response.get("user")}
    except SlackApiError as exc:
        return {"ok": False, "error": slack_error(exc)}
    except OSError as exc:
        return {"ok": False, "error": f"network: {exc.__class__.__name__}"}


class SlackAuthCache:
    """Caches auth.test for a minute so /healthz does not hammer Slack."""

    def __init__(self, ttl: float = 60.0, timer: Timer = time.monotonic) -> None:
        self._results: TTLCache[str, Report] = TTLCache(maxsize=1, ttl=ttl, timer=timer)
        self._lock = threading.Lock()  # health checks come on several server threads at once

    def check(self, client: WebClient) -> Report:
        """{"ok": bool, ...} from auth.test, cached."""
        with self._lock:
            result = self._results.get("auth.test")
            if result is None:
                result = self._results["auth.test"] = slack_auth(client)
            return result


def without_names(slack: Report) -> Report:
    """The Slack part for callers nobody has authenticated: ok or the error, no names."""
    return {key: value for key, value in slack.items() if key not in ("team", "user")}


def database_health(engine: Engine, instance: str, now: datetime) -> Report:
    """{"ok", "reachable", "migrated", "writable"} (and "error" in words when not ok)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        migrated = is_current(engine)
    except SQLAlchemyError as exc:
        return {"ok": False, "reachable": False, "migrated": False, "error": problem(exc)}
    if not migrated:  # the probe's table may not be there yet
        return {"ok": False, "reachable": True, "migrated": False}
    trouble = write_probe(engine, instance, now)
    report = {"ok": trouble is None, "reachable": True, "migrated": True}
    return {**report, "writable": trouble is None, **({"error": trouble} if trouble else {})}


class DatabaseCheck:
    """The database part of readiness, probed at most every `ttl` seconds, logged on change."""

    def __init__(
        self, engine: Engine, clock: Clock, ttl: float = DATABASE_TTL, timer: Timer = time.monotonic
    ) -> None:
        self.engine, self.clock, self.instance = engine, clock, instance_name()
        self._results: TTLCache[str, Report] = TTLCache(maxsize=1, ttl=ttl, timer=timer)
        self._lock = threading.Lock()
        self._was_ok = True

    def check(self) -> Report:
        """The database's report, cached."""
        with self._lock:
            result = self._results.get("database")
            if result is None:
                result = database_health(self.engine, self.instance, self.clock())
                self._results["database"] = result
                self._log_change(result)
            return result

    def _log_change(self, result: Report) -> None:
        if self._was_ok and not result["ok"]:
            log.error(
                "not ready: the database %s; requests from Slack cannot be stored, /readyz "
                "answers 503 until it can",
                _database_trouble(result),
            )
        elif result["ok"] and not self._was_ok:
            log.info("ready again: the database takes writes; /readyz answers 200")
        self._was_ok = bool(result["ok"])


def _database_trouble(result: Report) -> str:
    if not result["reachable"]:
        return f"cannot be reached ({result['error']})"
    if not result["migrated"]:
        return "is not at this version's schema (run python -m bot migrate)"
    return f"refuses writes ({result['error']})"


def scheduler_alive(scheduler: BaseScheduler | None) -> bool:
    """The scheduler is running and so is its thread (an error in its loop ends the thread
    and leaves the state RUNNING; APScheduler 3 keeps the thread as `_thread`)."""
    if scheduler is None or scheduler.state != STATE_RUNNING:
        return False
    thread = getattr(scheduler, "_thread", None)
    return thread is None or bool(thread.is_alive())


def scheduler_health(scheduler: BaseScheduler | None) -> Report:
    """{"ok": bool, "next_runs": {...}} for the scheduler."""
    if scheduler is None:
        return {"ok": False, "error": "not started"}
    runs = {
        job.id: job.next_run_time.isoformat() if job.next_run_time else None
        for job in scheduler.get_jobs()
    }
    return {"ok": scheduler_alive(scheduler), "next_runs": runs}


class Health:
    """The running bot's checks; `paths()` maps /livez, /readyz and /healthz to them."""

    def __init__(
        self,
        deps: Deps,
        client: WebClient,
        scheduler: BaseScheduler | None = None,
        *,
        serving: Callable[[], Report] | None = None,
        timer: Timer = time.monotonic,
    ) -> None:
        self.client, self.scheduler, self.serving = client, scheduler, serving
        self.auth = SlackAuthCache(timer=timer)
        self.database = DatabaseCheck(deps.engine, deps.clock, timer=timer)
        self.stopping = threading.Event()  # set when a clean stop begins

    def live(self) -> Report:
        """Liveness: the scheduler and (Socket Mode) the client's threads are running."""
        parts: Report = {"scheduler": {"ok": scheduler_alive(self.scheduler)}}
        if self.serving is not None:
            parts["socket_mode"] = self.serving()
        return {"ok": all(part["ok"] for part in parts.values()), **parts}

    def ready(self) -> Report:
        """Readiness: the database takes writes and no stop has begun."""
        database, stopping = self.database.check(), self.stopping.is_set()
        ok = bool(database["ok"]) and not stopping
        return {"ok": ok, "database": database, "stopping": stopping}

    def report(self) -> Report:
        """Everything: database, Slack (without names), scheduler, and the Socket Mode client."""
        parts: Report = {
            "database": self.database.check(),
            "slack": without_names(self.auth.check(self.client)),
            "scheduler": scheduler_health(self.scheduler),
        }
        if self.serving is not None:
            parts["socket_mode"] = self.serving()
        return {"ok": all(part["ok"] for part in parts.values()), **parts}

    def paths(self) -> dict[str, Callable[[], Report]]:
        """The health paths and their checks."""
        return {"/livez": self.live, "/readyz": self.ready, "/healthz": self.report}
