"""A bot process for multi-process tests: builds the real app, then opens briefings on cue.

Run as `python -m tests.rig.open_worker --dir D --name N --at ISO [--at ISO ...]` with the bot's
environment (DATABASE_URL, SLACK_API_URL, ...). For each instant i it writes `D/ready-i-N`,
waits for `D/go-i` (polling, with a timeout) and runs the 08:30 job at that instant, printing
one JSON line with the outcome. `--die-after-post` makes the process exit abruptly right after
Slack accepted the header and before the database records it (a crash mid-job);
`--die-before-post` exits right after claiming.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import service.opening
from bot.app import create_app, deps_for
from config.settings import load_settings
from service.jobs import run_open_briefing

CRASH_EXIT = 17


def wait_for(path: Path, timeout: float = 30.0) -> None:
    """Poll until a file exists; exit non-zero if it never appears."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {path}")
        time.sleep(0.002)


def _crash(*_args: Any, **_kwargs: Any) -> Any:
    sys.stdout.flush()
    os._exit(CRASH_EXIT)


def main(argv: list[str] | None = None) -> int:
    """Build the app, then run the job at each instant when told to."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--at", action="append", required=True)
    parser.add_argument("--die-after-post", action="store_true")
    parser.add_argument("--die-before-post", action="store_true")
    args = parser.parse_args(argv)
    if args.die_after_post:
        service.opening.mark_opened = _crash  # type: ignore[assignment]
    if args.die_before_post:
        service.opening._post_header = _crash
    app = create_app(load_settings())
    deps = deps_for(app)
    deps.instance = f"worker-{args.name}"
    for index, raw in enumerate(args.at):
        (args.dir / f"ready-{index}-{args.name}").touch()
        wait_for(args.dir / f"go-{index}")
        result = run_open_briefing(deps, app.client, datetime.fromisoformat(raw))
        status = result.status.value if result else None
        print(json.dumps({"at": raw, "status": status, "error": result and result.error}))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
