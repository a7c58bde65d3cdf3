"""The cost of opening a briefing and of its running order, from an empty database to years of
history (issue 13): it should not grow with the history, since every read goes by an index (the
open demands, the day's briefing, its attendance and updates), never through past briefings.

Both are measured as the bot does them, minus Slack's round trips: opening is the claim, the
thread recorded, the header's view (times, roll call, carried demands) and its Block Kit, and
the morning's questions to raisers; the running order is its data and its messages, at 09:30 on
a day with every body answered and `per_day` updates. Each is also counted in SQL statements,
which do not move with the machine's load as milliseconds do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bench.reports import FIRST_MONDAY, STATES, _at, populate
from bench.table import flow_rows
from blocks.briefing import build_briefing_header
from blocks.demands import PromptView, build_renewal_prompt
from config.settings import Settings, load_settings
from meeting.briefings import claim_briefing, mark_opened
from meeting.renewal import renewal_prompts
from service.deps import Deps
from service.header import header_view
from service.running_order import current_order, running_order_parts
from slack_adapter.chairs import ChairDirectory
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.models import Attendance, Briefing, Update

T = TypeVar("T")
CHANNEL = "C0BENCH"  # bench.reports.populate's channel
KEEP_OPEN = 8  # the latest demands of a history are still open; the rest were met or lapsed


def close_old_demands(engine: Engine, keep_open: int = KEEP_OPEN) -> int:
    """History as the demands' lifecycle leaves it: all but the latest `keep_open` demands were
    met (two in three) or lapsed; how many are still open."""
    with session_scope(engine) as session:
        session.execute(
            text(
                "UPDATE \"update\" SET demand_status = CASE WHEN id % 3 = 0 THEN 'lapsed' "
                "ELSE 'met' END WHERE kind = 'demand' AND id NOT IN (SELECT id FROM \"update\" "
                "WHERE kind = 'demand' ORDER BY id DESC LIMIT :keep)"
            ),
            {"keep": keep_open},
        )
        count = "SELECT count(*) FROM \"update\" WHERE demand_status = 'open'"
        return int(session.execute(text(count)).scalar_one())


STEP = 100  # SQLite calls the progress handler every this many virtual-machine instructions


@dataclass
class Work:
    """The database work of an operation: SQL statements, and SQLite's virtual-machine
    instructions (in hundreds): the rows it visits, whatever else runs on the machine."""

    statements: int = 0
    steps: int = 0


@contextmanager
def counted(engine: Engine) -> Iterator[Work]:
    """Count the statements run on `engine` inside the block, and SQLite's instructions."""
    work, watched = Work(), list[Any]()

    def step() -> int:
        work.steps += 1
        return 0  # go on

    def count(conn: Any, *_: Any) -> None:
        work.statements += 1
        raw = conn.connection.dbapi_connection
        if hasattr(raw, "set_progress_handler") and raw not in watched:
            raw.set_progress_handler(step, STEP)
            watched.append(raw)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield work
    finally:
        event.remove(engine, "before_cursor_execute", count)
        for raw in watched:
            raw.set_progress_handler(None, STEP)


def _deps(settings: Settings, engine: Engine) -> Deps:
    meeting = settings.meeting
    chairs = ChairDirectory(meeting.chairs, meeting.chair_usergroup)
    settings = replace(settings, channel=CHANNEL)
    clock = partial(_at, FIRST_MONDAY, 8, 30)
    return Deps(settings=settings, engine=engine, clock=clock, chairs=chairs, instance="bench")


def open_briefing(deps: Deps, day: date) -> Briefing:
    """Open a day's briefing as the bot does, minus Slack; the briefing."""
    meeting, now = deps.settings.meeting, _at(day, 8, 30)
    with session_scope(deps.engine) as session:
        claim = claim_briefing(session=session, channel=CHANNEL, day=day, now=now,
                               claimer="bench", lookback_hours=meeting.lookback_hours,
                               lookahead_hours=meeting.lookahead_hours)  # fmt: skip
        briefing = mark_opened(session=session, briefing=claim.briefing, thread_ts=f"{day}.1",
                               now=now, opened_by="scheduler")  # fmt: skip
    build_briefing_header(header_view(deps, briefing, opened_at=now))
    with session_scope(deps.engine) as session:
        asked = renewal_prompts(session=session, briefing=briefing,
                                lapse_after=meeting.demand_lapse_briefings)  # fmt: skip
    for prompt in asked:
        build_renewal_prompt(PromptView(prompt, meeting.timezone, "11:00"))
    return briefing


def _morning(engine: Engine, briefing: Briefing, per_day: int, rng: random.Random) -> None:
    """Every body answers the roll call and `per_day` updates arrive, as by 09:30."""
    day = briefing.meeting_date
    with session_scope(engine) as session:
        bodies = [int(b) for b in session.execute(text("SELECT id FROM body")).scalars()]
        session.add_all(
            Attendance(briefing_id=briefing.id or 0, body_id=b, state=rng.choice(STATES),
                       source="button", recorded_by="UBENCH", recorded_at=_at(day, 8, 45))
            for b in bodies
        )  # fmt: skip
        session.add_all(
            Update(dedupe_key=f"today:{briefing.id}:{n}", briefing_id=briefing.id or 0,
                   body_id=rng.choice(bodies), author_id="UBENCH",
                   kind=rng.choice(("event", "event", "plan", "demand")),
                   threats=rng.choice((["FIREARMS"], ["CYBER", "OIC"], ["DRUGS"])),
                   occurs_at=_at(day, 6), summary=f"Update {n} of the day, about a town",
                   source="reply", channel_id=CHANNEL, created_at=_at(day, 9),
                   updated_at=_at(day, 9))
            for n in range(per_day)
        )  # fmt: skip
        session.flush()
        session.execute(text("UPDATE \"update\" SET demand_status = 'open' "
                             "WHERE kind = 'demand' AND demand_status IS NULL"))  # fmt: skip


def running_order(deps: Deps) -> int:
    """The open briefing's running order, data and messages, as the job posts it at the call;
    how many messages."""
    found = current_order(deps)
    assert found is not None, "no open briefing"
    briefing, order = found
    return len(running_order_parts(deps, order, briefing))


def _close(engine: Engine, briefing: Briefing) -> None:
    with session_scope(engine) as session:
        session.execute(text("UPDATE briefing SET status = 'closed' WHERE id = :id"),
                        {"id": briefing.id})  # fmt: skip


def _timed(engine: Engine, work: Callable[[], T]) -> tuple[T, float, Work]:
    """What the work returned, its seconds, and its database work."""
    with counted(engine) as done:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return result, seconds, done


def _weekdays_after(weeks: int, count: int) -> list[date]:
    day, days = FIRST_MONDAY + timedelta(weeks=weeks), list[date]()
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def measure_history(
    settings: Settings, engine: Engine, *, weeks: int, per_day: int, repeats: int
) -> dict[str, Any]:
    """Open `repeats` briefings after `weeks` of history and build each one's running order:
    the median milliseconds and the statements of each."""
    deps, rng = _deps(settings, engine), random.Random(weeks)
    opens: list[tuple[float, Work]] = []
    orders: list[tuple[float, Work]] = []
    for day in _weekdays_after(weeks, repeats):
        briefing, seconds, statements = _timed(engine, partial(open_briefing, deps, day))
        opens.append((seconds, statements))
        _morning(engine, briefing, per_day, rng)
        _, seconds, statements = _timed(engine, partial(running_order, deps))
        orders.append((seconds, statements))
        _close(engine, briefing)
    return {"open": _figures(opens), "running_order": _figures(orders)}


def _figures(runs: list[tuple[float, Work]]) -> dict[str, Any]:
    return {
        "median_ms": statistics.median(s for s, _ in runs) * 1000,
        "runs_ms": [round(s * 1000, 2) for s, _ in runs],
        "statements": max(w.statements for _, w in runs),
        "sqlite_steps": statistics.median(w.steps * STEP for _, w in runs),
    }


def measure_flows(
    *, histories: tuple[int, ...] = (0, 52, 260), bodies: int = 60, per_day: int = 40,
    repeats: int = 5,
) -> dict[str, Any]:  # fmt: skip
    """Opening a briefing and its running order after each length of history (in weeks), on
    SQLite, each in a database of its own."""
    settings = load_settings({})
    rows = []
    with TemporaryDirectory(prefix="dbm-bench-flows-") as tmp:
        for weeks in histories:
            engine = make_engine(f"sqlite:///{Path(tmp) / f'history-{weeks}.sqlite3'}")
            upgrade(engine)
            populate(engine, weeks=weeks, bodies=bodies, per_day=per_day)
            still_open = close_old_demands(engine)
            figures = measure_history(settings, engine, weeks=weeks, per_day=per_day,
                                      repeats=repeats)  # fmt: skip
            engine.dispose()
            rows.append({"weeks": weeks, "open_demands_before": still_open, **figures})
    return {"bodies": bodies, "updates_per_day": per_day, "histories": rows}


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.flows`: this measure alone, at a size of your choosing."""
    parser = argparse.ArgumentParser(prog="python -m bench.flows", description=__doc__)
    parser.add_argument("--weeks", type=int, nargs="+", default=[0, 52, 260])
    parser.add_argument("--bodies", type=int, default=60)
    parser.add_argument("--per-day", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    figures = measure_flows(histories=tuple(args.weeks), bodies=args.bodies,
                            per_day=args.per_day, repeats=args.repeats)  # fmt: skip
    for name, figure, _ in flow_rows(figures):
        print(f"{name:<42} {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
