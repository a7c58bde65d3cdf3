"""`python -m bot export`: write a period's attendance workbook to a file, offline (no Slack)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.settings import Settings
from meeting.calendar import local_date
from meeting.periods import PeriodError, period_of_options
from service.clock import system_clock


def add_to(subparsers: Any) -> None:
    """Add the export subcommand."""
    parser = subparsers.add_parser(
        "export",
        help="write the attendance workbook (.xlsx) of a week, month, quarter or dates, offline",
    )
    parser.add_argument(
        "period", nargs="?", help="this, last, 2026-W48, 25/11/2026, 2026-11, Nov 2026, 2026-Q4"
    )
    parser.add_argument("--week", help="this, last, an ISO week like 2026-W48, or a date in it")
    parser.add_argument("--month", help="this, last, or a month like 2026-11 or Nov 2026")
    parser.add_argument("--quarter", help="this, last, or a quarter like 2026-Q4")
    parser.add_argument("--from", dest="first", help="first day, like 01/10/2026 (with --to)")
    parser.add_argument("--to", dest="last", help="last day, like 31/12/2026 (with --from)")
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.set_defaults(func=run_export)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Build the workbook from the database and write it; problems raise ConfigError (exit 2)."""
    from bot.run import check_migrated, open_database
    from service.export import build_export

    now = system_clock()
    try:
        period = period_of_options(
            local_date(now, settings.meeting.timezone), period=args.period, week=args.week,
            month=args.month, quarter=args.quarter, first=args.first, last=args.last,
        )  # fmt: skip
    except PeriodError as exc:
        raise ConfigError(str(exc).replace("`", "")) from None
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise ConfigError(f"--out {args.out!r} must be a file name ending in .xlsx")
    if not out.parent.is_dir():
        raise ConfigError(f"--out {args.out!r}: the folder {out.parent} does not exist")
    engine = open_database(settings)
    check_migrated(engine)
    content, _ = build_export(settings, engine, period=period, now=now)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise ConfigError(f"--out {args.out!r}: cannot write the file ({exc.strerror})") from None
    print(f"wrote {out} (attendance, {period.title}, {len(content)} bytes)")
    return 0
