"""Start-up time to ready, and resident memory after a simulated week."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from standin import FakeSlack
from storage.db import make_engine
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return int(answer.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def startup_seconds(timeout: float = 30.0) -> float:
    """Seconds from spawning `python -m bot run` (HTTP mode) until /healthz answers 200."""
    with TemporaryDirectory(prefix="dbm-bench-") as tmp, FakeSlack() as fake:
        fake.set_channel("C0BENCH", name="dbm", is_private=True)
        url = f"sqlite:///{Path(tmp) / 'start.sqlite3'}"
        upgrade(make_engine(url))
        port = _free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))},
            "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "bench-secret",
            "DBM_CHANNEL": "C0BENCH", "SLACK_API_URL": fake.base_url, "DATABASE_URL": url,
            "PORT": str(port), "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--http"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while not _ready(f"http://127.0.0.1:{port}/healthz"):
                if process.poll() is not None or time.perf_counter() - started > timeout:
                    raise RuntimeError("the bot did not become ready")
                time.sleep(0.01)
            return time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(timeout=10)


def week_memory(days: int = 5) -> dict[str, Any]:
    """RSS of a process that has run the demo week (app, stand-in and driver together)."""
    code = f"from bench.startup import _report_week; _report_week({days})"
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _report_week(days: int) -> None:
    """In a fresh process: run the demo week quietly, print RSS and peak RSS as JSON."""
    import logging

    from config.settings import load_settings
    from demo import DemoOptions, run_demo
    from meeting.week import IsoWeek

    logging.basicConfig(level=logging.ERROR)
    started = time.perf_counter()
    run_demo(load_settings({}), DemoOptions(IsoWeek(2026, 48), days=days))
    seconds = time.perf_counter() - started
    print(json.dumps({"days": days, "seconds": seconds, "rss_mib": _status_mib("VmRSS"),
                      "peak_rss_mib": _status_mib("VmHWM")}))  # fmt: skip
