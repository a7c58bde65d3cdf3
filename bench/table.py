"""The benchmark's results as a plain table, with the targets beside them."""

from __future__ import annotations

from typing import Any


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _latency_rows(latency: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for kind, figures in {**latency["kinds"], "all kinds": latency["overall"]}.items():
        ours, bare = figures["ours"], figures["bare"]
        measured = (
            f"ours p50/p95/p99 {_ms(ours['p50_ms'])}/{_ms(ours['p95_ms'])}/{_ms(ours['p99_ms'])}"
            f"; bare {_ms(bare['p50_ms'])}/{_ms(bare['p95_ms'])}/{_ms(bare['p99_ms'])}"
            f"; p99 ratio {figures['p99_ratio']:.2f}; max {_ms(ours['max_ms'])}"
        )
        rows.append((f"ack latency, {kind} (burst {latency['burst']})", measured, "≤ 1.2, < 3 s"))
    return rows


def _ingest_rows(ingest: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for name, figures in ingest.items():
        if "skipped" in figures:
            rows.append((f"ingest, {name}", f"skipped: {figures['skipped']}", ""))
            continue
        spread = f"{figures['min_per_second']:.0f}-{figures['max_per_second']:.0f}"
        measured = (
            f"{figures['per_second']:.0f} updates/s (median of {len(figures['runs'])}, "
            f"{spread}; {figures['stored']}/{figures['sent']} stored)"
        )
        rows.append((f"ingest, {name}", measured, "≥ 200/s" if name == "sqlite" else ""))
    return rows


def _report_rows(reports: dict[str, Any]) -> list[tuple[str, str, str]]:
    week, quarter = reports["week_workbook"], reports["quarter_workbook"]
    year, digest = reports["year_workbook"], reports["digest"]

    def figure(row: dict[str, Any]) -> str:
        cpu = f" (CPU {row['cpu_seconds']:.2f} s)" if "cpu_seconds" in row else ""
        return f"{row['seconds']:.2f} s{cpu}, peak {row['peak_mib']:.0f} MiB"

    return [
        ("workbook, one week", figure(week), "≤ 0.3 s"),
        ("workbook, a quarter", figure(quarter), "≤ 2 s"),
        ("workbook, a year", figure(year), ""),
        (f"digest, {digest['updates']} updates", f"{digest['seconds'] * 1000:.0f} ms", ""),
    ]


def reader_rows(reader: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """The reader's time per shape of a long reply (none when the section was not run)."""
    if reader is None:
        return []
    rows = []
    for name, figures in reader.items():
        if isinstance(figures, dict):
            measured = f"median {figures['median_ms']:.1f} ms, slowest {figures['max_ms']:.1f} ms"
            rows.append(
                (f"reader, {reader['characters']:,} characters, {name}", measured, "< 50 ms")
            )
    return rows


def flow_rows(flows: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """Opening a briefing and its running order after each length of history (none when the
    section was not run): the median time, the statements and SQLite's instructions."""
    if flows is None:
        return []
    rows = []
    for key, label in (("open", "opening a briefing"), ("running_order", "the running order")):
        for history in flows["histories"]:
            figures = history[key]
            measured = (
                f"{figures['median_ms']:.1f} ms (median), {figures['statements']} statements, "
                f"{figures['sqlite_steps']:,.0f} SQLite steps; {history['open_demands_before']} "
                "demands carried"
            )
            rows.append((f"{label}, after {history['weeks']} weeks", measured, "flat"))
    return rows


def _rush_rows(rush: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for name, figures in rush.items():
        if "skipped" in figures:
            rows.append((f"rush, {name}", f"skipped: {figures['skipped']}", ""))
            continue
        ours, bare, tick = figures["ours"], figures["bare"], figures["reply_to_tick"]
        full = figures["requests_at_once"] <= 240
        acks = (
            f"{figures['requests_at_once']} at once: ours p50/p95/p99 {_ms(ours['p50_ms'])}/"
            f"{_ms(ours['p95_ms'])}/{_ms(ours['p99_ms'])}, slowest {_ms(ours['max_ms'])}; bare "
            f"{_ms(bare['p50_ms'])}/{_ms(bare['p95_ms'])}/{_ms(bare['p99_ms'])}; p99 ratio "
            f"{figures['p99_ratio']:.2f}; {ours['not_200']:.0f} not 200"
        )
        limit = "< 1 s" if full else "< 2 s"
        rows.append((f"rush acks, {name}", acks, f"ratio ≤ 2, slowest {limit}"))
        ticks = (
            f"p50/p95/p99 {tick['p50_s']:.2f}/{tick['p95_s']:.2f}/{tick['p99_s']:.2f} s, slowest "
            f"{tick['max_s']:.2f} s; {tick['ticked']}/{tick['replies']} ticked"
        )
        rows.append((f"rush reply-to-✅, {name}", ticks, "p99 < 1.5 s" if full else ""))
    return rows


def table(results: dict[str, Any]) -> str:
    """Rows of measure | figure | target."""
    rows = [
        *_latency_rows(results["ack_latency"]),
        *_ingest_rows(results["ingest"]),
        *_report_rows(results["reports"]),
        *reader_rows(results.get("reader")),
        *flow_rows(results.get("flows")),
        ("start-up to /healthz 200", f"median {results['startup']['median_s']:.2f} s", "< 1.5 s"),
        ("RSS after the demo week", f"{results['memory']['rss_mib']:.0f} MiB", "< 120 MB"),
        *_rush_rows(results["rush"]),
    ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name:<{width}}  {figure}  [{target}]" for name, figure, target in rows)
