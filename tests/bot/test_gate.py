"""Acknowledgements first: queued work waits while requests are answered, but not for ever."""

from __future__ import annotations

import threading
import time

from bot.gate import AckGate


def test_work_waits_until_the_last_request_is_answered() -> None:
    gate = AckGate()
    gate.enter()
    gate.enter()
    released = threading.Event()

    def work() -> None:
        gate.wait_quiet(timeout=10)
        released.set()

    worker = threading.Thread(target=work)
    worker.start()
    gate.leave()
    assert not released.wait(0.05)  # one request still in flight
    gate.leave()
    assert released.wait(5)
    worker.join()


def test_work_is_held_back_at_most_the_timeout() -> None:
    gate = AckGate()
    gate.enter()
    started = time.monotonic()
    gate.wait_quiet(timeout=0.1)
    assert 0.09 <= time.monotonic() - started < 2


def test_no_wait_when_nothing_is_in_flight() -> None:
    gate = AckGate()
    started = time.monotonic()
    gate.wait_quiet(timeout=5)
    assert time.monotonic() - started < 0.5


def test_work_waits_for_a_settled_quiet_not_a_momentary_gap() -> None:
    gate = AckGate(settle=0.2)
    gate.enter()
    gate.leave()
    started = time.monotonic()
    gate.wait_quiet(timeout=5)
    assert time.monotonic() - started >= 0.15
