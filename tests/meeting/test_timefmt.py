"""UK display of whole dates and times for operators: day first, 24-hour, GMT or BST."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from meeting.timefmt import fmt_stamp

LONDON = ZoneInfo("Europe/London")


def test_a_stamp_is_day_first_with_the_zone_either_side_of_the_clock_change() -> None:
    assert fmt_stamp(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), LONDON) == "Sun 29/03/2026 00:59 GMT"
    assert fmt_stamp(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), LONDON) == "Sun 29/03/2026 02:00 BST"
    assert fmt_stamp(datetime(2026, 11, 2, 8, 5, tzinfo=UTC), LONDON) == "Mon 02/11/2026 08:05 GMT"
