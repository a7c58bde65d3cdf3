"""`python -m bot health`: database (written to, as /readyz does), Slack auth (names included,
unlike the endpoints) and the next scheduled runs; exit 1 if anything is not ok."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient

from bot.health import database_health, instance_name, slack_auth
from bot.scheduler import build_scheduler
from config.settings import Settings, bot_token_problem
from meeting.timefmt import fmt_stamp
from service.clock import system_clock
from service.deps import Deps
from slack_adapter.chairs import ChairDirectory
from slack_adapter.client import make_client
from storage.db import make_engine, missing_sqlite_file
from storage.migrate import current_revision


def planned_runs(scheduler: BaseScheduler, now: datetime) -> dict[str, datetime | None]:
    """Each job's next fire time after `now`, read from its trigger (the scheduler need not run)."""
    return {job.id: job.trigger.get_next_fire_time(None, now) for job in scheduler.get_jobs()}


def _database(deps: Deps, now: datetime) -> dict[str, Any]:
    """The database part, as /readyz checks it (reachable, schema, a write committed); a SQLite
    file that is not there is reported, never created."""
    missing = missing_sqlite_file(deps.settings.database_url)
    if missing is not None:
        return {"ok": False, "missing": str(missing)}
    database = database_health(deps.engine, instance_name(), now)
    if database["reachable"]:
        database["revision"] = current_revision(deps.engine)
    return database


# What to look at when the database refuses writes, by what storage.probe found.
WRITE_FIXES = {
    "read-only": "check that the bot's user can write the SQLite file and its folder and the "
    "disk is not mounted read-only, or that DATABASE_URL names the primary server, not a standby",
    "disk full": "free space on the disk that holds the database",
    "disk error": "check the disk that holds the database (the kernel log says more)",
    "no permission": "grant the database user INSERT and UPDATE, or fix the file's permissions",
    "locked by another writer": "another process held the write lock for over 5 s",
}


def _slack(settings: Settings, client: WebClient) -> dict[str, Any]:
    """The Slack part: a missing or malformed token is named as such, without asking Slack."""
    problem = bot_token_problem(settings.bot_token)
    return {"ok": False, "token": problem} if problem else slack_auth(client)


def check(deps: Deps, client: WebClient, now: datetime) -> dict[str, Any]:
    """The health report of a bot that is not running: database, Slack auth, planned runs."""
    runs = planned_runs(build_scheduler(deps=deps, client=client), now)
    scheduler = {"ok": bool(runs) and all(runs.values()), "next_runs": runs}
    parts = {
        "database": _database(deps, now),
        "slack": _slack(deps.settings, client),
        "scheduler": scheduler,
    }
    return {"ok": all(part["ok"] for part in parts.values()), **parts}


def _database_line(database: dict[str, Any]) -> str:
    if "missing" in database:
        return (
            f"database: NOT OK, there is no database file {database['missing']}: "
            "run python -m bot migrate to create it, or check DATABASE_URL"
        )
    if not database["reachable"]:
        return f"database: NOT OK, unreachable ({database['error']})"
    if not database["migrated"]:
        revision = database["revision"] or "none"
        return f"database: NOT OK, at schema {revision}: run python -m bot migrate"
    if not database["writable"]:
        error = database["error"]
        return (
            f"database: NOT OK, it refuses writes ({error}), so Slack's requests cannot be "
            f"stored: {WRITE_FIXES.get(error, 'see the database server or disk')}"
        )
    return f"database: ok (schema {database['revision']}, takes writes)"


def _slack_line(slack: dict[str, Any]) -> str:
    if slack["ok"]:
        return f"slack: ok (workspace {slack['team']}, bot {slack['user']})"
    if "token" in slack:
        return f"slack: NOT OK, {slack['token']}"
    error = str(slack["error"])
    if error.startswith("network: "):
        return (
            f"slack: NOT OK, cannot reach Slack ({error.removeprefix('network: ')}): "
            "check the network, any proxy, and SLACK_API_URL if set"
        )
    return f"slack: NOT OK ({error})"


def report_lines(report: dict[str, Any], zone: ZoneInfo) -> list[str]:
    """The report as lines for a terminal; jobs in the order they will run, in UK time."""
    lines = [_database_line(report["database"]), _slack_line(report["slack"])]
    lines.append("scheduler: next runs")
    runs: dict[str, datetime | None] = report["scheduler"]["next_runs"]
    for job, at in sorted(runs.items(), key=lambda run: (run[1] is None, run[1] or 0, run[0])):
        lines.append(f"  {job}: {fmt_stamp(at, zone) if at else 'never'}")
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
