"""Asks that arrive while a job runs are served by one more run after it, not one each."""

from __future__ import annotations

import threading

from slack_adapter.coalesce import Coalescer


def test_asks_during_a_run_make_exactly_one_more_run() -> None:
    coalescer, runs = Coalescer(), []
    started, release = threading.Event(), threading.Event()

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            started.set()
            assert release.wait(5)

    first = threading.Thread(target=lambda: coalescer.run(job))
    first.start()
    assert started.wait(5)
    assert [coalescer.run(job) for _ in range(3)] == [False, False, False]  # while it runs
    release.set()
    first.join(5)
    assert runs == [0, 1]  # the first run, and one more for the three asks
    assert coalescer.run(job) is True and runs == [0, 1, 2]  # idle again: runs at once


def test_a_failing_run_does_not_stop_later_ones() -> None:
    coalescer = Coalescer()

    def boom() -> None:
        raise RuntimeError("Slack was down")

    try:
        coalescer.run(boom)
    except RuntimeError:
        pass
    ran: list[bool] = []
    assert coalescer.run(lambda: ran.append(True)) is True and ran == [True]
