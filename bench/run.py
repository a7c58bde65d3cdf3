"""`python -m bench`: every measurement in one run; a table on stdout, JSON in bench/results/."""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.flows import measure_flows
from bench.ingest import measure_ingest, postgres_url
from bench.latency import measure_latency
from bench.reader import measure_reader
from bench.reports import measure_reports
from bench.rush import measure_rush
from bench.startup import startup_seconds, week_memory

RESULTS = Path(__file__).resolve().parent / "results"
FULL = {"burst": 200, "rounds": 6, "rush_rounds": 3, "ingest": 1000, "weeks": 52,
        "bodies": 60, "per_day": 40, "digest": 500, "reader": 20, "history_weeks": 260,
        "repeats": 5}  # fmt: skip
QUICK = {"burst": 20, "rounds": 1, "rush_rounds": 1, "ingest": 40, "weeks": 2, "bodies": 10,
         "per_day": 4, "digest": 10, "reader": 2, "history_weeks": 4, "repeats": 2}  # fmt: skip


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory = Path("/proc/meminfo").read_text().split()[1] if Path("/proc/meminfo").exists() else ""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 2**20, 1) if memory else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _rush(size: dict[str, int]) -> dict[str, Any]:
    """The rush with durable acks, at full size and three times it, on each database."""
    sizes = {"full size": size["bodies"], "three times": size["bodies"] * 3}
    results = measure_rush({"sqlite": None}, rounds=size["rush_rounds"], sizes=sizes)
    url = postgres_url()
    if url is None:
        return {**results, "postgresql": {"skipped": "not reachable"}}
    pg = {}
    for label, bodies in sizes.items():  # a fresh database for each size
        pg.update(
            measure_rush(
                {"postgresql": postgres_url()}, rounds=size["rush_rounds"], sizes={label: bodies}
            )
        )
    return {**results, **pg}


def run_all(size: dict[str, int]) -> dict[str, Any]:
    """Every section; each is timed."""
    sections: dict[str, Any] = {"machine": machine(), "size": size}
    started = time.perf_counter()
    sections["ack_latency"] = measure_latency(size["burst"], size["rounds"])
    sections["ingest"] = measure_ingest(size["ingest"], min(50, size["ingest"]))
    sections["reports"] = measure_reports(
        weeks=size["weeks"], bodies=size["bodies"], per_day=size["per_day"],
        digest=size["digest"],
    )  # fmt: skip
    sections["reader"] = measure_reader(repeats=size["reader"])
    histories = tuple(sorted({0, size["weeks"], size["history_weeks"]}))
    sections["flows"] = measure_flows(
        histories=histories, bodies=size["bodies"], per_day=size["per_day"],
        repeats=size["repeats"],
    )  # fmt: skip
    runs = [startup_seconds() for _ in range(3)]
    sections["startup"] = {"runs_s": runs, "median_s": statistics.median(runs)}
    sections["memory"] = week_memory()
    sections["rush"] = _rush(size)
    sections["bench_seconds"] = time.perf_counter() - started
    return sections


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the table, write JSON."""
    from bench.table import table

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check it runs")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # waitress warns about queue depth in a burst
    results = run_all(QUICK if args.quick else FULL)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\n{results['machine']}\nwritten to {args.out} in {results['bench_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
