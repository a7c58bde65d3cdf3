"""`python -m bot health`: database, Slack auth and the next scheduled runs; exit 1 if not ok."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient

from bot.health import SlackAuthCache, database_health
from bot.scheduler import build_scheduler
from config.settings import Settings
from service.clock import system_clock
from service.deps import Deps
from slack_adapter.chairs import ChairDirectory
from slack_adapter.client import make_client
from storage.db import make_engine
from storage.migrate import current_revision


def planned_runs(scheduler: BaseScheduler, now: datetime) -> dict[str, datetime | None]:
    """Each job's next fire time after `now`, read from its trigger (the scheduler need not run)."""
    return {job.id: job.trigger.get_next_fire_time(None, now) for job in scheduler.get_jobs()}


def check(deps: Deps, client: WebClient, now: datetime) -> dict[str, Any]:
    """The health report of a bot that is not running: database, Slack auth, planned runs."""
    database = database_health(deps)
    if database["ok"]:
        database["revision"] = current_revision(deps.engine)
    runs = planned_runs(build_scheduler(deps=deps, client=client), now)
    scheduler = {"ok": bool(runs) and all(runs.values()), "next_runs": runs}
    parts = {"database": database, "slack": SlackAuthCache().check(client), "scheduler": scheduler}
    ok = all(part["ok"] and part.get("migrated", True) for part in parts.values())
    return {"ok": ok, **parts}


def report_lines(report: dict[str, Any], zone: ZoneInfo) -> list[str]:
    """The report as lines for a terminal."""
    database, slack = report["database"], report["slack"]
    if not database["ok"]:
        lines = [f"database: NOT OK, unreachable ({database['error']})"]
    elif not database["migrated"]:
        revision = database["revision"] or "none"
        lines = [f"database: NOT OK, at schema {revision}: run python -m bot migrate"]
    else:
        lines = [f"database: ok (schema {database['revision']})"]
    if slack["ok"]:
        lines.append(f"slack: ok (workspace {slack['team']}, bot {slack['user']})")
    else:
        lines.append(f"slack: NOT OK ({slack['error']})")
    lines.append("scheduler: next runs")
    for job, at in report["scheduler"]["next_runs"].items():
        when = at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z") if at else "never"
        lines.append(f"  {job}: {when}")
    lines.append("healthy" if report["ok"] else "NOT HEALTHY")
    return lines


def _command(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    deps = Deps(
        settings=settings,
        engine=engine,
        clock=system_clock,
        chairs=ChairDirectory(settings.meeting.chairs, settings.meeting.chair_usergroup),
    )
    report = check(deps, make_client(settings), system_clock())
    for line in report_lines(report, settings.meeting.timezone):
        print(line)
    engine.dispose()
    return 0 if report["ok"] else 1


def add_to(subparsers: Any) -> None:
    """Add `health` to the command line."""
    parser = subparsers.add_parser(
        "health",
        help="check the database, Slack auth and the scheduler's next runs (exit 1 if unhealthy)",
    )
    parser.set_defaults(func=_command)
