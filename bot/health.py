"""Health: database reachable and migrated, Slack auth, scheduler running with next run times."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler
from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.deps import Deps
from slack_adapter.client import slack_error
from storage.migrate import is_current


def slack_auth(client: WebClient) -> dict[str, Any]:
    """{"ok": bool, ...} from auth.test."""
    try:
        response = client.auth_test()
        return {"ok": True, "team": response.get("team"), "user": response.get("user")}
    except SlackApiError as exc:
        return {"ok": False, "error": slack_error(exc)}
    except OSError as exc:
        return {"ok": False, "error": f"network: {exc.__class__.__name__}"}


class SlackAuthCache:
    """Caches auth.test for a minute so /healthz does not hammer Slack."""

    def __init__(self, ttl: float = 60.0, timer: Callable[[], float] = time.monotonic) -> None:
        self._results: TTLCache[str, dict[str, Any]] = TTLCache(maxsize=1, ttl=ttl, timer=timer)
        self._lock = threading.Lock()  # health checks come on several server threads at once

    def check(self, client: WebClient) -> dict[str, Any]:
        """{"ok": bool, ...} from auth.test, cached."""
        with self._lock:
            result = self._results.get("auth.test")
            if result is None:
                result = self._results["auth.test"] = slack_auth(client)
            return result


def database_health(deps: Deps) -> dict[str, Any]:
    """{"ok": bool, "migrated": bool} for the database."""
    try:
        with deps.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"ok": True, "migrated": is_current(deps.engine)}
    except SQLAlchemyError as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def scheduler_health(scheduler: BaseScheduler | None) -> dict[str, Any]:
    """{"ok": bool, "next_runs": {...}} for the scheduler."""
    if scheduler is None:
        return {"ok": False, "error": "not started"}
    runs = {
        job.id: job.next_run_time.isoformat() if job.next_run_time else None
        for job in scheduler.get_jobs()
    }
    return {"ok": scheduler.state == STATE_RUNNING, "next_runs": runs}


def health_report(
    deps: Deps, client: WebClient, scheduler: BaseScheduler | None, auth: SlackAuthCache
) -> dict[str, Any]:
    """The whole report; "ok" only if every part is."""
    parts = {
        "database": database_health(deps),
        "slack": auth.check(client),
        "scheduler": scheduler_health(scheduler),
    }
    ok = all(part["ok"] and part.get("migrated", True) for part in parts.values())
    return {"ok": ok, **parts}
