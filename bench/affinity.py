"""Pinning the bench's own process to one CPU, to show what cross-core GIL hand-offs cost.

One Python process runs Python on one core at a time whatever the machine has. With two cores
free, its threads are woken on either, and the interpreter lock is passed between cores many
times per reply; pinned to one core it is passed within it. The bench measures both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TASKS = Path("/proc/self/task")


def _threads() -> list[int]:
    return [int(task.name) for task in TASKS.iterdir()]


@contextmanager
def on_one_core() -> Iterator[bool]:
    """Every thread of this process (and those it starts) on one CPU; True where that works.

    Child processes already running (the load generator, Slack's side) keep every CPU.
    """
    if not hasattr(os, "sched_setaffinity") or not TASKS.is_dir():
        yield False
        return
    allowed = os.sched_getaffinity(0)
    one = {min(allowed)}
    for thread in _threads():
        os.sched_setaffinity(thread, one)
    try:
        yield True
    finally:
        for thread in _threads():
            try:
                os.sched_setaffinity(thread, allowed)
            except OSError:  # ended meanwhile
                pass
