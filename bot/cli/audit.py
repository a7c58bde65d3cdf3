"""`python -m bot audit --since DATE`: who did what, when (UK local time), before and after."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from config.settings import Settings
from meeting.audit import entries_since
from meeting.calendar import local_instant
from storage.db import session_scope
from storage.models import AuditEntry

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(raw: str) -> date | None:
    """A YYYY-MM-DD date, or None if `raw` is not one."""
    if not DATE_PATTERN.match(raw.strip()):
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def local_stamp(at: datetime, zone: ZoneInfo) -> str:
    """An instant as UK local date and time with its zone, e.g. 2026-11-23 08:31 GMT."""
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def format_entry(entry: AuditEntry, zone: ZoneInfo) -> str:
    """One audit entry as a line: when, who, what, subject, before and after."""
    return (
        f"{local_stamp(entry.at, zone)}  {entry.actor}  {entry.action}  {entry.subject}  "
        f"before: {entry.before or '-'}  after: {entry.after or '-'}"
    )


def _command(args: argparse.Namespace, settings: Settings) -> int:
    day = parse_day(args.since)
    if day is None:
        print(
            f"dbm-bot: --since {args.since!r} is not a date: give it as YYYY-MM-DD, "
            "e.g. 2026-11-23",
            file=sys.stderr,
        )
        return 2
    from bot.run import check_migrated, open_database

    engine = open_database(settings)
    check_migrated(engine)
    zone = settings.meeting.timezone
    with session_scope(engine) as session:
        entries = entries_since(session=session, since=local_instant(day, time(0, 0), zone))
    engine.dispose()
    if not entries:
        print(f"no audit entries since {day.isoformat()}")
    for entry in entries:
        print(format_entry(entry, zone))
    return 0


def add_to(subparsers: Any) -> None:
    """Add `audit` to the command line."""
    parser = subparsers.add_parser(
        "audit", help="print the audit log: who did what, when, with before and after"
    )
    parser.add_argument(
        "--since", required=True, metavar="DATE", help="first day to show, YYYY-MM-DD (UK)"
    )
    parser.set_defaults(func=_command)
