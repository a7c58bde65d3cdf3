"""The meeting's rush: every body checks in and posts its updates in the minutes before the call.

Used at full size by the benchmark (every request at once) and at a bounded concurrency by
tests/bot/test_load.py. Requests go signed over HTTP to the real app; the database is checked
afterwards for exactly one stored update per reply and one attendance per body.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import func, select

from bench.latency import OPEN_AT, set_up_people
from bench.loadgen import Generator, Request, Timing, burst
from blocks.ids import ActionId
from bot.server import EVENTS_PATH
from config.files import BodySeed
from config.settings import Settings
from demo.cast import Person, update_texts
from demo.scene import header_ts
from demo.slack_requests import button_press, message_event
from demo.stage import CHANNEL, SIGNING_SECRET, SimClock, Stage, running_stage
from storage.db import session_scope
from storage.models import Attendance, Update


@dataclass(frozen=True)
class LoadResult:
    """Acknowledgements and what was stored."""

    bodies: int
    replies: int
    timings: list[Timing]
    stored_updates: int
    distinct_replies_stored: int
    attendance: int
    seconds: float

    @property
    def slowest(self) -> float:
        """The slowest acknowledgement, in seconds."""
        return max(s for _, s in self.timings)


def with_bodies(base: Settings, count: int) -> Settings:
    """The roster file's bodies plus made-up ones up to `count` (or its first `count`)."""
    extra = tuple(
        BodySeed(f"XB{n:02d}", f"Extra body {n}") for n in range(max(0, count - len(base.bodies)))
    )
    return replace(base, bodies=(base.bodies + extra)[:count])


def _requests(stage: Stage, cast: list[tuple[Person, ...]], updates: int) -> list[Request]:
    thread = header_ts(stage.fake, OPEN_AT.date()) or ""
    rng, requests = random.Random(3), []
    for people in cast:
        person = people[0]
        url = stage.fake.response_url(f"load-{person.user_id}")
        press = button_press(
            user=person.user_id, action_id=ActionId.ROLL_PRESENT, channel=CHANNEL,
            message_ts=thread, response_url=url,
        )  # fmt: skip
        requests.append((press.body, press.content_type))
        for words in update_texts(rng, OPEN_AT.weekday(), updates):
            ts = stage.fake.add_message(CHANNEL, user=person.user_id, text=words, thread_ts=thread)
            reply = message_event(
                user=person.user_id, channel=CHANNEL, text=words, ts=ts, thread_ts=thread
            )
            requests.append((reply.body, reply.content_type))
    random.Random(4).shuffle(requests)
    return requests


def _counts(stage: Stage) -> tuple[int, int, int]:
    with session_scope(stage.engine) as session:
        updates = session.exec(select(func.count()).select_from(Update)).one()
        distinct = session.exec(select(func.count(func.distinct(Update.message_ts)))).one()
        attendance = session.exec(select(func.count()).select_from(Attendance)).one()
    return int(updates), int(distinct), int(attendance)


def run_load(
    base: Settings,
    *,
    database_url: str | None = None,
    bodies: int = 60,
    updates: int = 3,
    concurrency: int | None = None,
    separate_process: bool = True,
) -> LoadResult:
    """Check in `bodies` bodies with `updates` replies each, `concurrency` requests at a time."""
    clock = SimClock(OPEN_AT)
    settings = with_bodies(base, bodies)
    generator = Generator() if separate_process else None
    try:
        with running_stage(settings, clock, database_url=database_url, threads=16) as stage:
            cast = set_up_people(stage)  # people mapped, the briefing opened at 08:30
            clock.set(OPEN_AT.replace(hour=9, minute=28))  # the call is at 09:30
            requests = _requests(stage, cast, updates)
            size, url = concurrency or len(requests), stage.url + EVENTS_PATH
            started, timings = time.perf_counter(), []
            for first in range(0, len(requests), size):
                batch = requests[first : first + size]
                send: Any = generator.burst if generator else burst
                timings += send(url, SIGNING_SECRET, batch)
            stage.wait_idle(timeout=300)
            seconds = time.perf_counter() - started
            counts = _counts(stage)
    finally:
        if generator is not None:
            generator.close()
    return LoadResult(bodies, bodies * updates, timings, *counts, seconds)
