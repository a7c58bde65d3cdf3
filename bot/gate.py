"""Acknowledgements first: queued work holds back while Slack requests are being answered."""

from __future__ import annotations

import threading
import time

MAX_HOLD_SECONDS = 2.0  # under sustained load, work still runs at least this often
# In a burst the count of requests in flight touches zero between arrivals: work starts only
# after this long with none.
SETTLE_SECONDS = 0.05


class AckGate:
    """Counts Slack requests being answered; queued work holds back until none are.

    Everything shares one interpreter lock, so work running during a burst slows every ack in
    it. Holding work back (for at most MAX_HOLD_SECONDS) lets the acks go first.
    """

    def __init__(self, settle: float = SETTLE_SECONDS) -> None:
        self._in_flight = 0
        self._last_seen = float("-inf")
        self._settle = settle
        self._quiet = threading.Condition()

    def enter(self) -> None:
        """A request arrived."""
        with self._quiet:
            self._in_flight += 1
            self._last_seen = time.monotonic()

    def leave(self) -> None:
        """A request was answered."""
        with self._quiet:
            self._in_flight -= 1
            self._last_seen = time.monotonic()
            if self._in_flight == 0:
                self._quiet.notify_all()

    def wait_quiet(self, timeout: float = MAX_HOLD_SECONDS) -> None:
        """Block until no request has been in flight for a moment, or `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._quiet:
            while (left := deadline - time.monotonic()) > 0:
                if self._in_flight:
                    self._quiet.wait(left)
                    continue
                calm = time.monotonic() - self._last_seen
                if calm >= self._settle:
                    return
                self._quiet.wait(min(left, self._settle - calm))
