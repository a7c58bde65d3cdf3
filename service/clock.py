"""Time is an argument: only entry points read the clock, and tests inject their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)
