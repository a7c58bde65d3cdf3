"""Bolt's listener executor, counting the work in flight so a stop can wait for it.

After each ack Bolt runs the request's work (a lazy listener) on this executor. A clean stop
waits for that work for a bounded time (the operator's `stop_seconds`); anything left is still in
the intake and is resumed on the next start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from bot.gate import AckGate

T = TypeVar("T")


def _after_quiet(gate: AckGate, fn: Callable[..., T]) -> Callable[..., T]:
    def held_back(*args: Any, **kwargs: Any) -> T:
        gate.wait_quiet()
        return fn(*args, **kwargs)

    return held_back


class WorkExecutor(ThreadPoolExecutor):
    """A thread pool that knows how much submitted work has not finished."""

    def __init__(self, workers: int = 10, name: str = "work", gate: AckGate | None = None) -> None:
        super().__init__(max_workers=workers, thread_name_prefix=name)
        self.gate = gate
        self._pending = 0
        self.finished = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Submit and count."""
        with self._idle:
            self._pending += 1
        if self.gate is not None:
            fn = _after_quiet(self.gate, fn)
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self.finished += 1
            self._idle.notify_all()

    @property
    def pending(self) -> int:
        """Work submitted and not finished (queued or running)."""
        with self._idle:
            return self._pending

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every piece of work submitted so far has finished; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)
