"""`python -m bot purge [--dry-run]` and the daily retention job: old update text goes."""

from __future__ import annotations

import argparse
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.clock import system_clock
from bot.deps import Deps
from config.settings import Settings
from meeting.retention import PurgePlan, plan_purge, purge
from meeting.timefmt import fmt_stamp
from storage.db import make_engine, session_scope

log = logging.getLogger(__name__)


def run_purge(settings: Settings, engine: Engine, now: datetime, *, dry_run: bool) -> PurgePlan:
    """Plan (dry run) or carry out the purge at `now`."""
    days = settings.meeting.retention_days
    with session_scope(engine) as session:
        if dry_run:
            return plan_purge(session=session, now=now, retention_days=days)
        return purge(session=session, now=now, retention_days=days)


def describe(plan: PurgePlan, *, dry_run: bool, zone: ZoneInfo) -> list[str]:
    """Lines for the operator: counts and ids only, never the text itself; UK times."""
    verb = "would remove" if dry_run else "removed"
    ids = ", ".join(str(i) for i in plan.update_ids) or "none"
    return [
        f"{verb} the text of {len(plan.update_ids)} updates created before "
        f"{fmt_stamp(plan.text_before, zone)}: {ids}",
        f"{verb} the quoted text from {len(plan.audit_ids)} audit entries about those updates",
        f"{verb} {plan.slack_events} Slack event ids received before "
        f"{fmt_stamp(plan.events_before, zone)}",
    ]


def _command(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    plan = run_purge(settings, engine, system_clock(), dry_run=args.dry_run)
    for line in describe(plan, dry_run=args.dry_run, zone=settings.meeting.timezone):
        print(line)
    engine.dispose()
    return 0


def add_to(subparsers: Any) -> None:
    """Add `purge` to the command line."""
    parser = subparsers.add_parser(
        "purge",
        help="remove update text older than the retention period (config/meeting.toml)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be removed, change nothing"
    )
    parser.set_defaults(func=_command)


def retention_job(deps: Deps, client: WebClient) -> None:
    """The daily job: purge old update text and old event ids (safe to run twice)."""
    plan = run_purge(deps.settings, deps.engine, deps.clock(), dry_run=False)
    log.info(
        "retention: removed the text of %d updates older than %d days and %d old event ids",
        len(plan.update_ids),
        deps.settings.meeting.retention_days,
        plan.slack_events,
    )
