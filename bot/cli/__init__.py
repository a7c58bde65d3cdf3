"""The command line: run (default), migrate, and the offline tools."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot.cli import audit, demo, export, health, purge
from bot.json_logs import formatter
from config.errors import ConfigError
from config.settings import Settings, load_settings
from storage.db import require_database_file

Command = Callable[[argparse.Namespace, Settings], int]

# Each offline tool lives in its own module with `add_to(subparsers)`, which adds its
# subcommand and sets `func` (a Command) as its default.
CLI_MODULES: tuple[Any, ...] = (export, audit, health, purge, demo)


# The offline tools that read an existing database: given a SQLite file that is not there, they
# stop with one line rather than connect, which would leave an empty file behind. (`health`
# reports it as a failed check; `migrate` and `demo` create their databases.)
READS_EXISTING_DATABASE = frozenset({"export", "audit", "purge"})


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.run import run

    return run(settings, mode=getattr(args, "mode", "auto"))


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.run import seed_roster
    from storage.db import make_engine
    from storage.migrate import current_revision, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    added = seed_roster(settings, engine)
    print(
        f"database migrated to {current_revision(engine)}; "
        f"{added} bodies added from the roster file"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="dbm-bot: runs the national Daily Briefing Meeting in Slack.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run", help="run the bot (default): Socket Mode if SLACK_APP_TOKEN is set, else HTTP"
    )
    modes = run.add_mutually_exclusive_group()
    modes.add_argument(
        "--socket",
        dest="mode",
        action="store_const",
        const="socket",
        help="Socket Mode (needs SLACK_APP_TOKEN)",
    )
    modes.add_argument(
        "--http",
        dest="mode",
        action="store_const",
        const="http",
        help="HTTP mode on $PORT: /slack/events and /healthz",
    )
    run.set_defaults(mode="auto")
    sub.add_parser("migrate", help="create or upgrade the database schema, and seed the roster")
    parser.set_defaults(func=_run, mode="auto")
    sub.choices["run"].set_defaults(func=_run)
    sub.choices["migrate"].set_defaults(func=_migrate)
    for module in CLI_MODULES:
        module.add_to(sub)
    return parser


def _configure_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(log_format))
    logging.basicConfig(level=getattr(logging, level, logging.INFO), handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # At DEBUG the Slack SDKs log request and response bodies, which carry the text of updates:
    # keep them at INFO or above whatever LOG_LEVEL says (our own logs carry ids, never text).
    for name in ("slack_sdk", "slack_bolt"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, load settings, run; a bad setting is one line on stderr, exit 2."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        _configure_logging(settings.log_level, settings.log_format)
        if args.command in READS_EXISTING_DATABASE:
            require_database_file(settings.database_url)
        result: int = args.func(args, settings)
        return result
    except ConfigError as exc:
        print(f"dbm-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
