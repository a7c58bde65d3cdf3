"""Reporting windows: events look back, plans look ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Windows:
    """The reporting windows of one briefing (aware instants)."""

    events_from: datetime
    opened_at: datetime
    plans_until: datetime

    def contains_event(self, at: datetime, *, now: datetime) -> bool:
        """True if an event at `at` falls in the look-back window (and is not in the future)."""
        return self.events_from <= at <= max(now, self.opened_at)

    def contains_plan(self, at: datetime) -> bool:
        """True if a plan at `at` falls in the look-ahead window."""
        return self.opened_at <= at <= self.plans_until


def events_from(
    opened_at: datetime, previous_opened_at: datetime | None, *, lookback_hours: int = 24
) -> datetime:
    """Events look back to the previous briefing's start, and at least `lookback_hours`."""
    floor = opened_at - timedelta(hours=lookback_hours)
    if previous_opened_at is None or previous_opened_at > floor:
        return floor
    return previous_opened_at


def plans_until(opened_at: datetime, *, lookahead_hours: int = 72) -> datetime:
    """Plans look ahead `lookahead_hours` from the briefing's start."""
    return opened_at + timedelta(hours=lookahead_hours)


def windows_for(
    opened_at: datetime,
    previous_opened_at: datetime | None,
    *,
    lookback_hours: int = 24,
    lookahead_hours: int = 72,
) -> Windows:
    """Both windows of a briefing opening at `opened_at`."""
    return Windows(
        events_from=events_from(opened_at, previous_opened_at, lookback_hours=lookback_hours),
        opened_at=opened_at,
        plans_until=plans_until(opened_at, lookahead_hours=lookahead_hours),
    )
