"""The benchmark's pieces run at a tiny size (no timing assertions: CI only catches breakage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.ingest import measure_ingest
from bench.latency import measure_latency
from bench.loadgen import percentile
from bench.reports import measure_reports
from bench.run import QUICK, machine
from bench.rush import measure_rush
from bench.startup import startup_seconds
from bench.table import table


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99)) == (50.0, 99.0)
    assert percentile([3.0], 0.99) == 3.0


@pytest.mark.slow
def test_latency_ingest_and_reports_at_a_tiny_size(tmp_path: Path) -> None:
    latency = measure_latency(n=6, rounds=1)
    assert latency["overall"]["ours"]["not_200"] == 0 and latency["kinds"]["thread reply"]
    ingest = measure_ingest(n=8, concurrency=4, repeats=1)
    for name in ("sqlite", "sqlite, one core"):
        (run,) = ingest[name]["runs"]
        assert (run["sent"], run["stored"], run["reactions"]) == (8, 8, 8)  # Slack elsewhere
    reports = measure_reports(weeks=1, bodies=3, per_day=2, digest=5)
    assert reports["year_workbook"]["bytes"] > 0 and reports["digest"]["parts"] >= 1
    results = {
        "ack_latency": latency,
        "ingest": ingest,
        "reports": reports,
        "startup": {"median_s": 1.0},
        "memory": {"rss_mib": 1.0},
        "rush": measure_rush({"sqlite": None}, rounds=1, sizes={"tiny": 3}),
        "machine": machine(),
        "size": QUICK,
    }
    printed = table(results)
    assert "ack latency, thread reply" in printed and "ingest, sqlite, one core" in printed
    assert "rush reply-to-✅, sqlite, tiny" in printed
    (rush,) = results["rush"].values()
    assert rush["ours"]["not_200"] == 0 and rush["reply_to_tick"]["ticked"] == 9
    json.dumps(results)


@pytest.mark.slow
def test_start_up_reaches_ready() -> None:
    assert startup_seconds(timeout=30) > 0


def test_one_core_pins_every_thread_and_gives_the_cores_back() -> None:
    import os
    import threading

    from bench.affinity import on_one_core

    before = os.sched_getaffinity(0)
    with on_one_core() as pinned:
        seen: list[set[int]] = []
        started = threading.Thread(target=lambda: seen.append(os.sched_getaffinity(0)))
        started.start()
        started.join()
        if pinned:
            assert len(os.sched_getaffinity(0)) == 1 and seen == [os.sched_getaffinity(0)]
    assert os.sched_getaffinity(0) == before


@pytest.mark.slow
def test_reply_cost_stores_every_reply() -> None:
    from bench.reply_cost import reply_cost

    figures = reply_cost(5)
    assert (figures["stored"], figures["replies"]) == (5, 5) and figures["ms_per_reply"] > 0


def test_the_reader_piece_times_each_shape_at_a_tiny_size() -> None:
    from bench.reader import measure_reader, shapes
    from bench.table import reader_rows

    figures = measure_reader(size=400, repeats=1)
    assert set(shapes(400)) <= set(figures) and all(len(t) == 400 for t in shapes(400).values())
    rows = reader_rows(figures)
    assert len(rows) == len(shapes(400)) and rows[0][0] == "reader, 400 characters, prose"
    json.dumps(figures)


def test_opening_and_the_running_order_after_some_history_at_a_tiny_size() -> None:
    from bench.flows import measure_flows
    from bench.table import flow_rows

    figures = measure_flows(histories=(0, 2), bodies=4, per_day=3, repeats=2)
    empty, later = figures["histories"]
    assert (empty["open_demands_before"], later["open_demands_before"]) == (
        0,
        later["open_demands_before"],
    )
    for key in ("open", "running_order"):
        assert later[key]["statements"] == empty[key]["statements"] > 0  # no read per briefing
        assert later[key]["sqlite_steps"] > 0 and later[key]["median_ms"] > 0
    rows = flow_rows(figures)
    assert rows[0][0] == "opening a briefing, after 0 weeks" and len(rows) == 4
    json.dumps(figures)
