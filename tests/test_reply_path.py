"""The path of one thread reply to the database, measured: which project modules are on the call
stack when each of its writes runs, and which writes share a transaction.

How README's "at most 8 modules and one transaction" is counted: every INSERT, UPDATE or DELETE
the reply causes is caught as it runs (SQLAlchemy's before_cursor_execute), and the project
modules on the Python stack at that moment are its path (Bolt, SQLAlchemy and the standard
library are not counted); commits split the writes into transactions.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event

from tests.handlers.updates_rig import open_briefing, reply, speaks_for
from tests.rig.harness import BotUnderTest

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
OURS = ("bot", "handlers", "service", "slack_adapter", "blocks", "meeting", "storage", "config")


def _path() -> list[str]:
    """The project modules on the stack, outermost first, each once."""
    modules: list[str] = []
    for frame in traceback.extract_stack():
        path = Path(frame.filename)
        if not path.is_relative_to(ROOT) or path.relative_to(ROOT).parts[0] not in OURS:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if module not in modules:
            modules.append(module)
    return modules


def test_a_reply_is_written_in_one_transaction_through_at_most_eight_modules(
    bot: BotUnderTest,
) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    reply(bot, briefing, "Morning all")  # the first post: the guidance goes out, once
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
    writes: list[tuple[int, str, list[str]]] = []
    transaction = [0]

    def on_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb, _, rest = statement.strip().partition(" ")
        if verb.upper() in ("INSERT", "UPDATE", "DELETE"):
            table = rest.split()[1] if verb.upper() != "UPDATE" else rest.split()[0]
            writes.append((transaction[0], f"{verb.upper()} {table.strip(chr(34))}", _path()))

    def on_commit(_conn: Any) -> None:
        transaction[0] += 1

    event.listen(bot.engine, "before_cursor_execute", on_write)
    event.listen(bot.engine, "commit", on_commit)
    try:
        reply(bot, briefing, "EVENT | firearms | today 07:10 | Shots fired in Croydon")
    finally:
        event.remove(bot.engine, "before_cursor_execute", on_write)
        event.remove(bot.engine, "commit", on_commit)
    change = [
        w for w in writes if w[1].split()[1].lower() in ("update", "auditentry", "attendance")
    ]
    assert {w[1] for w in change} == {
        "INSERT update", "INSERT auditentry", "INSERT attendance",
    }  # fmt: skip
    assert len({number for number, _, _ in change}) == 1, writes  # one transaction
    for _, what, modules in change:
        assert len(modules) <= 8, f"{what}: {' -> '.join(modules)}"
    intake = [what for _, what, _ in writes if what.endswith("intake")]
    assert intake == ["INSERT intake", "UPDATE intake"]  # before the 200, and done after
