"""`python -m bot audit`: who did what, when (UK local time), in words, chosen by body, person,
action and dates; `--format csv` for a spreadsheet.

Offline there is no Slack to ask for people's names: a person is "Slack user U…", with the
bodies they speak for where the database knows them.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import replace
from datetime import date
from typing import Any

from config.settings import Settings
from meeting.audit_phrases import FAMILIES
from meeting.audit_trail import AuditLine, AuditQuery, audit_lines, valid_action
from meeting.roster import body_by_code
from meeting.standdowns import parse_day
from storage.db import session_scope

FORMATS = ("text", "csv")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CSV_HEADER = ("When (UK time)", "Who", "Action", "What", "Before", "After", "Entry")


class FilterError(ValueError):
    """A filter value the command cannot use; its message is the one line for stderr."""


def _day(raw: str | None, flag: str) -> date | None:
    if raw is None:
        return None
    day = parse_day(raw)
    if day is None:
        raise FilterError(
            f"{flag} {raw!r} is not a date: give it day first, e.g. 23/11/2026 (or 2026-11-23)"
        )
    return day


def _checked(args: argparse.Namespace) -> AuditQuery:
    """The filters that need no database, checked; the body is looked up later."""
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    if since and until and since > until:
        raise FilterError(f"--since {args.since} is after --until {args.until}")
    if args.user is not None and not USER_ID.match(args.user.strip()):
        raise FilterError(f"--user {args.user!r} is not a Slack user id (like U0123ABCD)")
    if args.action is not None and not valid_action(args.action.strip()):
        raise FilterError(
            f"--action {args.action!r} is not an action; give one such as update.edit, "
            f"or a family: {', '.join(FAMILIES)}"
        )
    if args.format not in FORMATS:
        raise FilterError(f"--format {args.format!r} must be text or csv")
    user = args.user.strip() if args.user else None
    action = args.action.strip() if args.action else None
    return AuditQuery(user=user, action=action, since=since, until=until)


def _print_text(lines: list[AuditLine]) -> None:
    if not lines:
        print("no audit entries match")
    for line in lines:
        print(f"{line.when}  {line.who}  {line.what}")


def _print_csv(lines: list[AuditLine]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        row = (line.when, line.who, line.action, line.what, line.before, line.after)
        writer.writerow((*row, line.entry_id))


def _lines(settings: Settings, args: argparse.Namespace, query: AuditQuery) -> list[AuditLine]:
    from bot.run import check_migrated, open_database

    engine = open_database(settings)
    check_migrated(engine)
    zone = settings.meeting.timezone
    try:
        with session_scope(engine) as session:
            if args.body is not None:
                body = body_by_code(session=session, code=args.body)
                if body is None:
                    raise FilterError(f"--body {args.body!r} is not a body's code")
                query = replace(query, body=body)
            return audit_lines(session=session, query=query, zone=zone)
    finally:
        engine.dispose()


def _command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        lines = _lines(settings, args, _checked(args))
    except FilterError as exc:
        print(f"dbm-bot: {exc}", file=sys.stderr)
        return 2
    (_print_csv if args.format == "csv" else _print_text)(lines)
    return 0


def add_to(subparsers: Any) -> None:
    """Add `audit` to the command line."""
    parser = subparsers.add_parser(
        "audit", help="print the audit trail: who did what, when (UK time), in words"
    )
    parser.add_argument("--since", metavar="DATE", help="first day, e.g. 23/11/2026 (UK)")
    parser.add_argument("--until", metavar="DATE", help="last day, e.g. 27/11/2026 (UK)")
    parser.add_argument("--body", metavar="CODE", help="only entries about this body, e.g. BTP")
    parser.add_argument("--user", metavar="U…", help="only what this Slack user did, or was")
    parser.add_argument(
        "--action", metavar="ACTION", help=f"an action or a family: {', '.join(FAMILIES)}"
    )
    parser.add_argument("--format", default="text", metavar="FORMAT", help="text or csv")
    parser.set_defaults(func=_command)
