"""Pacing the live header: how often the roll call may be written into it.

Slack's chat.update is a Tier 3 method: about 50 calls a minute per app and workspace, shared by
every message the bot edits (update cards, the digest, the header). A rush of check-ins (all
25 bodies in the minutes before the call, or 60 in a larger meeting) would otherwise spend that
budget on the header alone. So the header is edited at most once per HEADER_INTERVAL (12 a
minute), and the last change of a burst is always written (trailing edge): the header ends
showing the latest roll call, at most HEADER_INTERVAL after it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

HEADER_INTERVAL = timedelta(seconds=5)


@dataclass(frozen=True)
class Pace:
    """What to do about a change to the header: write it now, at `send_at`, or nothing (a write
    is already due and will show this change too)."""

    send_now: bool
    send_at: datetime | None = None


def pace_header(
    *,
    now: datetime,
    last_sent: datetime | None,
    pending_at: datetime | None,
    interval: timedelta = HEADER_INTERVAL,
) -> Pace:
    """Decide when a changed header is written, given the last write and any write already due."""
    if pending_at is not None:
        return Pace(send_now=False)
    if last_sent is None or now - last_sent >= interval:
        return Pace(send_now=True)
    return Pace(send_now=False, send_at=last_sent + interval)
