"""Build times and peak memory of the attendance workbook (a week, a quarter, a year) and of the
digest."""

from __future__ import annotations

import gc
import random
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from blocks.digest import build_digest_parts
from config.settings import load_settings
from meeting.calendar import bank_holiday
from meeting.digest import build_digest
from meeting.periods import Period, quarter_of, week_of
from meeting.report import load_report
from meeting.workbook import render_workbook
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.models import Attendance, Body, Briefing, Invitation, Update

T = TypeVar("T")
LONDON = ZoneInfo("Europe/London")
FIRST_MONDAY = date(2026, 1, 5)
STATES = ("present", "present", "present", "nil", "apologies", "absent")


Measure = tuple[T, float, float, float]  # result, seconds, CPU seconds, peak MiB


def measured(work: Callable[[], T]) -> Measure[T]:
    """Run work twice: timed alone, then under tracemalloc. The CPU time (this process's) moves
    less than the elapsed time when other work shares the machine's cores. What earlier sections
    left is collected first: a full collection of it (30-60 ms) had landed inside the digest's
    one timed run and was reported as the digest's (19 ms one run, 94 ms another)."""
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    tracemalloc.start()
    try:
        work()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return result, seconds, cpu, peak


def _bodies(engine: Engine, count: int) -> list[int]:
    with session_scope(engine) as session:
        bodies = [
            Body(code=f"B{i:03d}", name=f"Body {i}", created_at=_at(FIRST_MONDAY, 8))
            for i in range(count)
        ]
        session.add_all(bodies)
        session.flush()
        ids = [b.id for b in bodies if b.id is not None]
        session.add_all(
            Invitation(body_id=i, invited_from=FIRST_MONDAY, invited_by="bench") for i in ids
        )
    return ids


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def _update(briefing: Briefing, body: int, n: int, rng: random.Random) -> Update:
    day = briefing.meeting_date
    kind = rng.choice(("event", "event", "plan", "demand"))
    threats = rng.choice((["FIREARMS"], ["CYBER", "OIC"], ["DRUGS"]))
    return Update(
        dedupe_key=f"bench:{briefing.id}:{n}", briefing_id=briefing.id or 0, body_id=body,
        author_id="UBENCH", kind=kind, threats=threats,
        occurs_at=_at(day, 6), summary=f"Synthetic update {n} for the benchmark, about a town",
        source="reply", channel_id="C0BENCH", message_ts=f"{n}.000100",
        demand_status="open" if kind == "demand" else None,
        created_at=_at(day, 8, 40), updated_at=_at(day, 8, 40),
    )  # fmt: skip


def populate(engine: Engine, *, weeks: int, bodies: int, per_day: int, seed: int = 1) -> None:
    """Briefings every weekday for `weeks`, attendance for every body, `per_day` updates."""
    rng = random.Random(seed)
    ids = _bodies(engine, bodies)
    for offset in range(weeks * 7):
        day = FIRST_MONDAY + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        with session_scope(engine) as session:
            briefing = Briefing(
                channel_id="C0BENCH", meeting_date=day, status="closed", thread_ts=f"{offset}.1",
                events_from=_at(day, 8) - timedelta(days=1),
                plans_until=_at(day, 8) + timedelta(days=3),
                claimed_at=_at(day, 8, 30), claimed_by="bench", opened_at=_at(day, 8, 30),
                closed_at=_at(day, 11),
            )  # fmt: skip
            session.add(briefing)
            session.flush()
            session.add_all(
                Attendance(briefing_id=briefing.id or 0, body_id=b, state=rng.choice(STATES),
                           source="button", recorded_by="UBENCH", recorded_at=_at(day, 8, 45))
                for b in ids
            )  # fmt: skip
            session.add_all(_update(briefing, rng.choice(ids), n, rng) for n in range(per_day))


def workbook_seconds(engine: Engine, period: Period) -> Measure[int]:
    """Load and render the workbook of a period: (bytes, seconds, CPU seconds, peak MiB)."""

    def build() -> int:
        with session_scope(engine) as session:
            report = load_report(
                session=session, period=period, channel="C0BENCH",
                calendar="england-and-wales", zone=LONDON, now=_at(period.last, 12),
            )  # fmt: skip
        return len(render_workbook(report))

    return measured(build)


def digest_seconds(engine: Engine) -> Measure[int]:
    """Build the digest (data and Block Kit parts) of the first briefing: (parts, s, CPU, MiB)."""
    threats = load_settings({}).threats

    def build() -> int:
        with session_scope(engine) as session:
            briefing = session.get(Briefing, 1)
            assert briefing is not None
            digest = build_digest(session=session, briefing=briefing, threats=threats)
        return len(build_digest_parts(digest, LONDON))

    return measured(build)


def measure_reports(
    *, weeks: int = 52, bodies: int = 60, per_day: int = 40, digest: int = 500
) -> dict[str, Any]:
    """A week's, a quarter's and a year's workbook, and a digest of `digest` updates, on SQLite.

    The quarter is the first of the data (January to March: 13 weeks when `weeks` >= 13).
    """
    with TemporaryDirectory(prefix="dbm-bench-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'year.sqlite3'}")
        upgrade(engine)
        started = time.perf_counter()
        populate(engine, weeks=weeks, bodies=bodies, per_day=per_day)
        filled = time.perf_counter() - started
        # The bot loads the bank-holiday calendar when it opens a briefing, long before anyone
        # exports; loading it (0.1-0.3 s of imports) is not the workbook's cost.
        bank_holiday(FIRST_MONDAY, "england-and-wales")
        one = workbook_seconds(engine, week_of(FIRST_MONDAY + timedelta(days=7 * (weeks // 2))))
        quarter = workbook_seconds(engine, quarter_of(FIRST_MONDAY))
        end = FIRST_MONDAY + timedelta(days=7 * weeks - 1)
        year = workbook_seconds(engine, Period(FIRST_MONDAY, end))
        engine.dispose()
        digest_engine = make_engine(f"sqlite:///{Path(tmp) / 'digest.sqlite3'}")
        upgrade(digest_engine)
        populate(digest_engine, weeks=1, bodies=bodies, per_day=digest)
        parts = digest_seconds(digest_engine)
        digest_engine.dispose()
    size = {"weeks": weeks, "bodies": bodies, "updates_per_day": per_day, "fill_seconds": filled}
    return {
        "data": size,
        "week_workbook": _row(one, "bytes"),
        "quarter_workbook": _row(quarter, "bytes"),
        "year_workbook": _row(year, "bytes"),
        "digest": {"updates": digest, **_row(parts, "parts")},
    }


def _row(result: Measure[int], unit: str) -> dict[str, float]:
    value, seconds, cpu, peak = result
    return {unit: value, "seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak}
