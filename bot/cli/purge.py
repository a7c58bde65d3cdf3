"""`python -m bot purge [--dry-run]` and the daily retention job: old update text goes."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from config.settings import Settings
from meeting.retention import PurgePlan
from meeting.timefmt import fmt_stamp
from service.clock import system_clock
from service.retention import run_purge
from storage.db import make_engine


def describe(plan: PurgePlan, *, dry_run: bool, zone: ZoneInfo) -> list[str]:
    """Lines for the operator: counts and ids only, never the text itself; UK times."""
    verb = "would remove" if dry_run else "removed"
    ids = ", ".join(str(i) for i in plan.update_ids) or "none"
    return [
        f"{verb} the text of {len(plan.update_ids)} updates created before "
        f"{fmt_stamp(plan.text_before, zone)}: {ids}",
        f"{verb} the quoted text from {len(plan.audit_ids)} audit entries about those updates",
        f"{verb} {plan.requests} Slack requests received before "
        f"{fmt_stamp(plan.requests_before, zone)} (their work done)",
        f"{'would delete' if dry_run else 'deleted'} {len(plan.canvas_ids)} canvases of the "
        f"day's record made before then: {', '.join(plan.canvas_ids) or 'none'}",
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
