"""`python -m bot export`: write a week's attendance spreadsheet to a file, offline (no Slack)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.settings import Settings
from meeting.calendar import local_date
from meeting.week import parse_week
from service.clock import system_clock


def add_to(subparsers: Any) -> None:
    """Add the export subcommand."""
    parser = subparsers.add_parser(
        "export", help="write a week's attendance spreadsheet (.xlsx) to a file, without Slack"
    )
    parser.add_argument(
        "--week", default="this", help="this, last or an ISO week like 2026-W47 (default: this)"
    )
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.set_defaults(func=run_export)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Build the workbook from the database and write it; problems raise ConfigError (exit 2)."""
    from bot.run import check_migrated, open_database
    from service.export import build_export

    now = system_clock()
    week = parse_week(str(args.week), local_date(now, settings.meeting.timezone))
    if week is None:
        raise ConfigError(
            f"--week {args.week!r} is not a week: use this, last or an ISO week like 2026-W47"
        )
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise ConfigError(f"--out {args.out!r} must be a file name ending in .xlsx")
    if not out.parent.is_dir():
        raise ConfigError(f"--out {args.out!r}: the folder {out.parent} does not exist")
    engine = open_database(settings)
    check_migrated(engine)
    content, _ = build_export(settings, engine, week=week, now=now)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise ConfigError(f"--out {args.out!r}: cannot write the file ({exc.strerror})") from None
    print(f"wrote {out} (attendance, week {week.label}, {len(content)} bytes)")
    return 0
