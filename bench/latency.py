"""Acknowledgement latency under a burst: our app against a bare Bolt app that only acks.

Both are served the same way (bot.server.make_wsgi behind waitress with the same thread count
on 127.0.0.1) and receive the same signed requests from the same load generator process.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import waitress.server
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bench.loadgen import Generator, Request, Timing, percentile
from blocks.ids import ActionId
from bot.server import EVENTS_PATH, make_wsgi
from config.settings import load_settings
from demo.cast import Person, update_texts
from demo.scene import header_ts
from demo.slack_requests import button_press, message_event, slash_command
from demo.stage import CHAIR, CHANNEL, SIGNING_SECRET, SimClock, Stage, running_stage
from demo.week import set_up_scene
from service.jobs import run_open_briefing
from standin import FakeSlack

THREADS = 16  # as bot.server.serve runs waitress in production
KINDS = ("slash command", "thread reply", "button press")
OPEN_AT = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def _only_ack(ack: Ack) -> None:
    ack()


def bare_app(fake: FakeSlack) -> App:
    """A Bolt app that acknowledges /dbm, messages and every button, and does nothing else."""
    client = WebClient(token="xoxb-bench", base_url=fake.base_url)
    app = App(client=client, signing_secret=SIGNING_SECRET, token_verification_enabled=False)
    app.command("/dbm")(_only_ack)
    app.event("message")(lambda: None)
    app.action(re.compile(".*"))(_only_ack)
    return app


@contextmanager
def serving(app: App) -> Iterator[str]:
    """Serve an app like bot.server does; yields its /slack/events URL."""
    wsgi = make_wsgi(app, {"/healthz": lambda: {"ok": True}})
    server = waitress.server.create_server(wsgi, host="127.0.0.1", port=0, threads=THREADS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"  # type: ignore[union-attr]
    finally:
        try:
            server.close()
        except OSError:
            pass
        thread.join(timeout=5)


def _requests(stage: Stage, people: list[Person], n: int) -> dict[str, list[Request]]:
    """n of each kind: the chair's /dbm status, thread replies, roll-call presses."""
    day = OPEN_AT.date()
    thread = header_ts(stage.fake, day)
    assert thread is not None, "the briefing did not open"
    texts = update_texts(random.Random(len(stage.fake.calls)), day.weekday(), n)
    kinds: dict[str, list[Request]] = {kind: [] for kind in KINDS}
    for i in range(n):
        person = people[i % len(people)]
        url = stage.fake.response_url(f"bench{i}")
        command = slash_command("status", user=CHAIR, channel=CHANNEL, response_url=url)
        ts = stage.fake.add_message(CHANNEL, user=person.user_id, text=texts[i], thread_ts=thread)
        reply = message_event(
            user=person.user_id, channel=CHANNEL, text=texts[i], ts=ts, thread_ts=thread
        )
        press = button_press(
            user=person.user_id, action_id=ActionId.ROLL_PRESENT, channel=CHANNEL,
            message_ts=thread, response_url=url,
        )  # fmt: skip
        for kind, request in zip(KINDS, (command, reply, press), strict=True):
            kinds[kind].append((request.body, request.content_type))
    return kinds


def set_up_people(stage: Stage) -> list[tuple[Person, ...]]:
    """The demo cast, mapped to their bodies, with today's briefing open."""
    scene = set_up_scene(stage)
    scene.map_members()
    run_open_briefing(stage.deps, stage.client)
    return [body.people for body in scene.bodies]


def summarise(timings: list[Timing]) -> dict[str, float]:
    """p50/p95/p99/max in milliseconds, and how many were not 200."""
    seconds = [s for _, s in timings]
    return {
        "p50_ms": percentile(seconds, 0.50) * 1000,
        "p95_ms": percentile(seconds, 0.95) * 1000,
        "p99_ms": percentile(seconds, 0.99) * 1000,
        "max_ms": max(seconds) * 1000,
        "not_200": float(sum(1 for status, _ in timings if status != 200)),
    }


def measure_latency(n: int = 200, rounds: int = 2, workers: int = 5) -> dict[str, Any]:
    """Bursts of n concurrent requests of each kind, ours then bare, `rounds` times."""
    generator = Generator()
    ours: dict[str, list[Timing]] = {kind: [] for kind in KINDS}
    bare: dict[str, list[Timing]] = {kind: [] for kind in KINDS}
    try:
        settings, clock = load_settings({}), SimClock(OPEN_AT)
        with running_stage(settings, clock, threads=THREADS, listener_workers=workers) as stage:
            people = [p for body in set_up_people(stage) for p in body]
            stage.clock.set(OPEN_AT.replace(minute=40))
            batches = [_requests(stage, people, n) for _ in range(rounds)]
            with serving(bare_app(stage.fake)) as bare_url:
                ours_url = stage.url + EVENTS_PATH
                _warm_up(generator, ours_url, bare_url, stage, batches[0])
                for number, batch in enumerate(batches):
                    for kind in KINDS:
                        # Alternate which goes first, so neither always meets a warmer machine.
                        sides = [(ours, ours_url), (bare, bare_url)][:: 1 if number % 2 else -1]
                        for timings, url in sides:
                            timings[kind] += generator.burst(url, SIGNING_SECRET, batch[kind])
                            stage.wait_idle(timeout=120)
    finally:
        generator.close()
    return {"listener_workers": workers, **_report(ours, bare, n, rounds)}


def _warm_up(
    generator: Generator, ours: str, bare: str, stage: Stage, batch: dict[str, list[Request]]
) -> None:
    """A few requests to each so connections, caches and imports are warm (not measured)."""
    sample = [batch["slash command"][0]] * 4
    generator.burst(ours, SIGNING_SECRET, sample)
    generator.burst(bare, SIGNING_SECRET, sample)
    stage.wait_idle(timeout=60)


def _report(
    ours: dict[str, list[Timing]], bare: dict[str, list[Timing]], n: int, rounds: int
) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        mine, theirs = summarise(ours[kind]), summarise(bare[kind])
        kinds[kind] = {"ours": mine, "bare": theirs, "p99_ratio": mine["p99_ms"] / theirs["p99_ms"]}
    everything = [t for kind in KINDS for t in ours[kind]]
    baseline = [t for kind in KINDS for t in bare[kind]]
    overall: dict[str, Any] = {"ours": summarise(everything), "bare": summarise(baseline)}
    overall["p99_ratio"] = overall["ours"]["p99_ms"] / overall["bare"]["p99_ms"]
    return {"burst": n, "rounds": rounds, "kinds": kinds, "overall": overall}
