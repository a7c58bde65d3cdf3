"""Pacing the live header: a rush of check-ins never exceeds chat.update's budget, and the last
check-in of a rush always reaches the header."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from meeting.pacing import HEADER_INTERVAL, Pace, pace_header

START = datetime(2026, 11, 23, 9, 20, tzinfo=UTC)
TIER_3_PER_MINUTE = 50


def _simulate(check_ins: list[datetime]) -> list[datetime]:
    """Run the pacing as the lead's wiring would: write now, or schedule one write; return the
    instants the header was written."""
    writes: list[datetime] = []
    pending: datetime | None = None
    events = sorted(check_ins)
    for at in events:
        while pending is not None and pending <= at:  # a scheduled write fires first
            writes.append(pending)
            pending = None
        pace = pace_header(now=at, last_sent=writes[-1] if writes else None, pending_at=pending)
        if pace.send_now:
            writes.append(at)
        elif pace.send_at is not None:
            pending = pace.send_at
    if pending is not None:
        writes.append(pending)
    return writes


def _most_in_a_minute(writes: list[datetime]) -> int:
    return max(
        sum(1 for w in writes if start <= w < start + timedelta(minutes=1)) for start in writes
    )


def test_sixty_check_ins_in_twenty_seconds() -> None:
    rng = random.Random(13)
    check_ins = [START + timedelta(seconds=rng.uniform(0, 20)) for _ in range(60)]
    writes = _simulate(check_ins)
    assert len(writes) <= 20 / HEADER_INTERVAL.total_seconds() + 2
    assert max(writes) >= max(check_ins)  # the last check-in is shown
    assert max(writes) - max(check_ins) <= HEADER_INTERVAL
    gaps = [b - a for a, b in zip(writes, writes[1:], strict=False)]
    assert min(gaps) >= HEADER_INTERVAL


def test_sixty_check_ins_spread_over_ten_minutes_stay_within_tier_3() -> None:
    rng = random.Random(60)
    check_ins = [START + timedelta(seconds=rng.uniform(0, 600)) for _ in range(60)]
    writes = _simulate(check_ins)
    assert _most_in_a_minute(writes) <= 60 / HEADER_INTERVAL.total_seconds()
    assert _most_in_a_minute(writes) < TIER_3_PER_MINUTE // 4  # room for cards and digests
    assert max(writes) >= max(check_ins)


def test_the_decisions() -> None:
    assert pace_header(now=START, last_sent=None, pending_at=None) == Pace(send_now=True)
    soon = START + timedelta(seconds=1)
    assert pace_header(now=soon, last_sent=START, pending_at=None) == Pace(
        send_now=False, send_at=START + HEADER_INTERVAL
    )
    assert pace_header(now=soon, last_sent=START, pending_at=START + HEADER_INTERVAL) == Pace(
        send_now=False
    )
    later = START + HEADER_INTERVAL
    assert pace_header(now=later, last_sent=START, pending_at=None).send_now
