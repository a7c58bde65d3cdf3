"""`python -m bot demo`: a whole briefing week on this machine, with Slack simulated."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.settings import Settings
from meeting.calendar import local_date
from meeting.week import parse_week
from service.clock import system_clock


def _days(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 5:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of days from 1 to 5")
    return int(raw)


def add_to(subparsers: Any) -> None:
    """Add the demo subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="run a briefing week locally with a built-in Slack stand-in (no workspace, no tokens)",
    )
    parser.add_argument("--days", type=_days, default=5, help="days to run, 1 to 5 (default 5)")
    parser.add_argument("--week", default="this", help="this, last or an ISO week like 2026-W48")
    parser.add_argument("--out", help="the spreadsheet to write (default dbm-demo-<week>.xlsx)")
    parser.add_argument("--seed", type=int, default=2026, help="what people report (default 2026)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.set_defaults(func=run_demo_command)


def _summary(result: Any, out: Path, seconds: float) -> str:
    slowest = max((s for _, s in result.acks), default=0.0)
    refused = sum(1 for status, _ in result.acks if status != 200)
    held = len({day for day, _ in result.expected})
    matches = sum(result.recorded.get(key) == state for key, state in result.expected.items())
    return (
        f"\nWeek {result.week.label}: {held} briefings; {len(result.acks)} requests from "
        f"'Slack', {refused} not acknowledged with 200, slowest acknowledgement "
        f"{slowest * 1000:.0f} ms; attendance as scripted for {matches} of "
        f"{len(result.expected)} body-days.\nSpreadsheet ({result.filename}) written to {out}. "
        f"Ran in {seconds:.1f} s."
    )


def run_demo_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run the demo week, print the transcript and write the spreadsheet."""
    from demo import DemoOptions, run_demo

    week = parse_week(str(args.week), local_date(system_clock(), settings.meeting.timezone))
    if week is None:
        raise ConfigError(f"--week {args.week!r} is not a week: use this, last or like 2026-W48")
    out = Path(args.out or f"dbm-demo-{week.label}.xlsx")
    if out.suffix.lower() != ".xlsx" or not out.parent.is_dir():
        raise ConfigError(f"--out {out}: give a .xlsx file name in an existing folder")
    logging.getLogger().setLevel(logging.WARNING)  # the transcript is the output, not the logs
    started = time.perf_counter()
    result = run_demo(
        settings, DemoOptions(week, args.days, args.seed), None if args.quiet else sys.stdout
    )
    out.write_bytes(result.spreadsheet)
    print(_summary(result, out, time.perf_counter() - started))
    return 0 if result.spreadsheet else 1
