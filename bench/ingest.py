"""Ingest throughput: thread-reply updates stored per second, through the HTTP endpoint."""

from __future__ import annotations

import random
import statistics
import time
from contextlib import nullcontext
from typing import Any

import psycopg
from sqlalchemy import text
from sqlmodel import func, select

from bench.affinity import on_one_core
from bench.elsewhere import slack_elsewhere
from bench.latency import OPEN_AT, set_up_people
from bench.loadgen import Generator, Request
from bot.server import EVENTS_PATH
from config.settings import load_settings
from demo.cast import update_texts
from demo.scene import header_ts
from demo.slack_requests import message_event
from demo.stage import CHANNEL, SIGNING_SECRET, SimClock, Stage, running_stage
from storage.db import make_engine, session_scope
from storage.models import Update

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
BENCH_DATABASE = "dbm_bench"  # a throwaway database: the test suite uses `test`


def _replies(stage: Stage, n: int) -> list[Request]:
    people = [p for body in set_up_people(stage) for p in body]
    thread = header_ts(stage.fake, OPEN_AT.date())
    assert thread is not None, "the briefing did not open"
    texts = update_texts(random.Random(2), OPEN_AT.weekday(), n)
    requests = []
    for i, words in enumerate(texts):
        person = people[i % len(people)]
        ts = stage.fake.add_message(CHANNEL, user=person.user_id, text=words, thread_ts=thread)
        event = message_event(
            user=person.user_id, channel=CHANNEL, text=words, ts=ts, thread_ts=thread
        )
        requests.append((event.body, event.content_type))
    return requests


def _stored(stage: Stage) -> int:
    with session_scope(stage.engine) as session:
        return int(session.exec(select(func.count()).select_from(Update)).one())


def ingest(
    database_url: str | None, n: int, concurrency: int, *, one_core: bool = False
) -> dict[str, Any]:
    """Send n replies in bursts of `concurrency`; stored per second until all were handled.

    The replies' Web API calls (a reaction on each) are answered from another process. With
    `one_core`, the bot's process is pinned to one CPU while it is measured.
    """
    generator = Generator()
    try:
        settings, clock = load_settings({}), SimClock(OPEN_AT)
        with running_stage(settings, clock, database_url=database_url) as stage:
            clock.set(OPEN_AT.replace(minute=40))
            requests = _replies(stage, n)
            url = stage.url + EVENTS_PATH
            with slack_elsewhere(stage.fake) as slack, on_one_core() if one_core else nullcontext():
                stage.client.base_url = slack.base_url  # Bolt copies it into each request's client
                started = time.perf_counter()
                for first in range(0, n, concurrency):
                    generator.burst(url, SIGNING_SECRET, requests[first : first + concurrency])
                stage.wait_idle(timeout=600)
                seconds = time.perf_counter() - started
            stored = _stored(stage)
    finally:
        generator.close()
    return {
        "sent": n,
        "stored": stored,
        "reactions": slack.calls["reactions.add"],
        "seconds": seconds,
        "per_second": stored / seconds,
    }


def postgres_url() -> str | None:
    """A fresh dbm_bench database on the local PostgreSQL, or None if it is not reachable."""
    try:
        with psycopg.connect(f"{POSTGRES}/test", autocommit=True, connect_timeout=3) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DATABASE,)
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    except psycopg.Error:
        return None
    url = f"{POSTGRES}/{BENCH_DATABASE}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median run's rate, the range, and the fewest stored (each run sends the same)."""
    rates = [run["per_second"] for run in runs]
    return {
        "sent": runs[0]["sent"],
        "stored": min(run["stored"] for run in runs),
        "per_second": statistics.median(rates),
        "min_per_second": min(rates),
        "max_per_second": max(rates),
        "runs": runs,
    }


def measure_ingest(n: int = 1000, concurrency: int = 50, repeats: int = 3) -> dict[str, Any]:
    """Throughput on SQLite (as deployed, and with the bot on one core) and on PostgreSQL when
    it is reachable at 127.0.0.1:5432; each the median of `repeats` fresh runs."""
    results: dict[str, Any] = {
        "sqlite": _median_of([ingest(None, n, concurrency) for _ in range(repeats)]),
        "sqlite, one core": _median_of(
            [ingest(None, n, concurrency, one_core=True) for _ in range(repeats)]
        ),
    }
    if postgres_url() is None:
        results["postgresql"] = {"skipped": "not reachable"}
        return results
    runs = [ingest(postgres_url(), n, concurrency) for _ in range(repeats)]
    results["postgresql"] = _median_of(runs)
    return results
