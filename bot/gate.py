"""Acknowledgements first: the work after each ack holds back while Slack requests are being
answered.

Measured (`python -m bench.rush`, 240 requests at once on SQLite, 2 cores): with the work after
each ack running as soon as it was queued, it took the interpreter lock and SQLite's write lock
from the acknowledgements still being answered; their p99 was 14 times a bare Bolt app's and the
slowest took 2.1 s (Slack gives up at 3 s). Holding the work back until no request has been in
flight for a moment keeps the acks to the cost of their one INSERT; the work follows within
moments.
"""

from __future__ import annotations

import threading
import time

MAX_HOLD_SECONDS = 2.0  # under sustained load, work still runs at least this often
# In a burst the count of requests in flight touches zero between arrivals: work starts only
# after this long with none.
SETTLE_SECONDS = 0.05
LOOK_AGAIN_SECONDS = 0.005  # while requests are in flight with no settling time (tests)


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
        """A request was answered.

        Waiting work is not woken here: it could not start before the settling time anyway, and
        in a burst the count touches zero between most arrivals, so every waiting worker would be
        woken (and would take the interpreter lock from the requests) hundreds of times.
        """
        with self._quiet:
            self._in_flight -= 1
            self._last_seen = time.monotonic()

    def wait_quiet(self, timeout: float = MAX_HOLD_SECONDS) -> None:
        """Block until no request has been in flight for a moment, or `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._quiet:
            while (left := deadline - time.monotonic()) > 0:
                calm = time.monotonic() - self._last_seen
                if not self._in_flight and calm >= self._settle:
                    return
                # Look again once the settling time could have passed since the last request.
                self._quiet.wait(min(left, max(self._settle - calm, LOOK_AGAIN_SECONDS)))
