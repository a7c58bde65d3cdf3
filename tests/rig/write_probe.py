"""A process that reports the database as readiness sees it, for tests/bot/test_health_disk.py.

`python -m tests.rig.write_probe URL` prints one report (JSON). With `--fill DIR` it creates
and migrates the database first, reports, fills DIR's file system until the kernel answers
ENOSPC, reports, frees the space and reports again: three reports, one a line.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.health import database_health
from storage.db import make_engine
from storage.migrate import upgrade


def report(engine: Engine) -> None:
    """Print the database's report now."""
    print(json.dumps(database_health(engine, "probe", datetime.now(UTC))), flush=True)


def fill(folder: Path) -> Path:
    """Write a file in `folder` until its file system is full; the file."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as exc:
            assert exc.strerror and "space" in exc.strerror.lower(), exc
    return filler


def main() -> None:
    """Report, and with --fill, fill the disk and free it between reports."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--fill", type=Path)
    args = parser.parse_args()
    engine = make_engine(args.url)
    if args.fill is None:
        report(engine)
        return
    upgrade(engine)
    report(engine)
    filler = fill(args.fill)
    report(engine)
    os.remove(filler)
    report(engine)


if __name__ == "__main__":
    main()
