"""The live header's pacing state, in this process: when each briefing's header was last
written, and when a write is due (the rule itself is meeting.pacing.pace_header).

It is kept in memory: a restart forgets at most one due write, and the next check-in or the
close writes the header again. Two processes pace independently, so together they write a
header at most twice per interval: still well within Slack's limit for chat.update.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from meeting.pacing import pace_header


@dataclass
class HeaderPacer:
    """Per briefing: the last write, a write due, the writes asked for, what was last written."""

    last_sent: dict[int, datetime] = field(default_factory=dict)
    pending: dict[int, datetime] = field(default_factory=dict)
    asked: set[int] = field(default_factory=set)
    written: dict[int, int] = field(default_factory=dict)  # hash of the last text and blocks
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def changed(self, briefing_id: int, now: datetime) -> bool:
        """A briefing's header changed at `now`: True to write it now; otherwise a write is (or
        already was) scheduled."""
        with self.lock:
            pace = pace_header(
                now=now,
                last_sent=self.last_sent.get(briefing_id),
                pending_at=self.pending.get(briefing_id),
            )
            if pace.send_now:
                self._ask(briefing_id, now)
            elif pace.send_at is not None:
                self.pending[briefing_id] = pace.send_at
            return pace.send_now

    def force(self, briefing_id: int, now: datetime) -> None:
        """Ask for a write now whatever the pace (the close: once a day)."""
        with self.lock:
            self.pending.pop(briefing_id, None)
            self._ask(briefing_id, now)

    def due(self, now: datetime) -> list[int]:
        """The briefings whose scheduled write is due at `now` (each now asked for)."""
        with self.lock:
            ready = [i for i, at in self.pending.items() if at <= now]
            for briefing_id in ready:
                del self.pending[briefing_id]
                self._ask(briefing_id, now)
            return ready

    def next_due(self) -> datetime | None:
        """When the next scheduled write is due, if any."""
        with self.lock:
            return min(self.pending.values(), default=None)

    def take_asked(self) -> list[int]:
        """The briefings whose header is to be written now (forgotten once taken)."""
        with self.lock:
            asked, self.asked = sorted(self.asked), set()
            return asked

    def unchanged(self, briefing_id: int, rendered: int) -> bool:
        """True if this rendering is what was last written to the header."""
        with self.lock:
            return self.written.get(briefing_id) == rendered

    def wrote(self, briefing_id: int, rendered: int) -> None:
        """Remember what was written (a write that failed is not remembered)."""
        with self.lock:
            self.written[briefing_id] = rendered

    def _ask(self, briefing_id: int, now: datetime) -> None:
        self.last_sent[briefing_id] = now
        self.asked.add(briefing_id)
