"""The benchmark's pieces run at a tiny size (no timing assertions: CI only catches breakage)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.ingest import ingest
from bench.latency import measure_latency
from bench.loadgen import percentile
from bench.reports import measure_reports
from bench.run import QUICK, machine
from bench.startup import startup_seconds
from bench.table import table


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99)) == (50.0, 99.0)
    assert percentile([3.0], 0.99) == 3.0


def test_latency_ingest_and_reports_at_a_tiny_size(tmp_path: Path) -> None:
    latency = measure_latency(n=6, rounds=1)
    assert latency["overall"]["ours"]["not_200"] == 0 and latency["kinds"]["thread reply"]
    stored = ingest(None, 8, 4)
    assert (stored["sent"], stored["stored"], stored["reactions"]) == (8, 8, 8)  # Slack elsewhere
    reports = measure_reports(weeks=1, bodies=3, per_day=2, digest=5)
    assert reports["year_workbook"]["bytes"] > 0 and reports["digest"]["parts"] >= 1
    results = {
        "ack_latency": latency,
        "ingest": {"sqlite": stored, "postgresql": {"skipped": "not tried"}},
        "reports": reports,
        "startup": {"median_s": 1.0},
        "memory": {"rss_mib": 1.0},
        "load": {"sqlite": {"skipped": "not tried"}},
        "machine": machine(),
        "size": QUICK,
    }
    assert "ack latency, thread reply" in table(results)
    json.dumps(results)


def test_start_up_reaches_ready() -> None:
    assert startup_seconds(timeout=30) > 0
