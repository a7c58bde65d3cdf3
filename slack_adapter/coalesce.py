"""Work that only needs doing once however often it is asked for while it runs.

Re-rendering the briefing header is such work: it shows the state at the moment it runs, so ten
urgent demands stored at once need one refresh after them, not ten (chat.update is rate-limited).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Coalescer:
    """Runs a job now, or, if it is already running, once more when that run ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = False
        self._again = False

    def run(self, job: Callable[[], None]) -> bool:
        """Run `job` (and again while more asks came during it); False if a run was under way,
        which will now run once more for this ask."""
        with self._lock:
            if self._running:
                self._again = True
                return False
            self._running = True
        try:
            while True:
                job()
                with self._lock:
                    if not self._again:
                        return True
                    self._again = False
        finally:
            with self._lock:
                self._running = self._again = False
