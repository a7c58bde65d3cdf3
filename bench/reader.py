"""`python -m bench.reader`: how long `read_reply` takes on a 40 000-character reply (Slack's
limit), for the shapes that cost the most: a long prose update, many fields, many times and
dates, and awkward characters. Target: under 50 ms each."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from config.files import load_bodies, load_threats
from config.settings import CONFIG_DIR
from meeting.reading import read_reply

SIZE = 40_000
_SHAPES = {
    "prose": "Shots fired at a house in Salford at 22:40 last night, firearms officers attended. ",
    "fields": "EVENT | firearms | yesterday 22:40 | x | ",
    "times": "0710 1500 22:40 03/11 Thu 0600 3 Nov 1400 tomorrow am ",
    "awkward": "\u202e😀<!channel>\x00 &lt; <@U0CHAIR01> SECRET? ſecret ",
    "separators": ", ; | – \n",
}


def shapes(size: int = SIZE) -> dict[str, str]:
    """Each shape repeated to `size` characters."""
    return {name: (piece * (size // len(piece) + 1))[:size] for name, piece in _SHAPES.items()}


def measure_reader(size: int = SIZE, repeats: int = 20) -> dict[str, object]:
    """Milliseconds per read of each shape (median and slowest of `repeats`)."""
    threats = load_threats(CONFIG_DIR / "threats.toml")
    codes = frozenset(body.code for body in load_bodies(CONFIG_DIR / "bodies.toml"))
    now, zone = datetime(2026, 11, 23, 8, 45, tzinfo=UTC), ZoneInfo("Europe/London")
    out: dict[str, object] = {"characters": size, "repeats": repeats}
    for name, text in shapes(size).items():
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            read_reply(
                text, briefing_date=date(2026, 11, 23), now=now, zone=zone, threats=threats,
                body_codes=codes,
            )  # fmt: skip
            timings.append((time.perf_counter() - started) * 1000)
        out[name] = {"median_ms": statistics.median(timings), "max_ms": max(timings)}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.reader", description=__doc__)
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    figures = measure_reader(args.size, args.repeats)
    for name in _SHAPES:
        shape = figures[name]
        assert isinstance(shape, dict)
        print(f"{name:<11} median {shape['median_ms']:5.1f} ms, slowest {shape['max_ms']:5.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
