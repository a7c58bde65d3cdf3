"""The morning rush with durable acknowledgements: what Slack and the people feel.

Every body presses *Present* and posts three replies in the minutes before the call, all at once:
60 bodies (240 requests, the full size) and 180 bodies (720, three times it). Each request is
committed to the intake before its 200. For each size and database:

- the acknowledgements' p50/p95/p99 and the slowest, against a bare Bolt app that only acks,
  served the same way and sent the same requests from the same load generator, turns
  alternating;
- reply-to-✅: from the moment a reply was sent to the moment its reaction reached Slack (Slack's
  side runs in a process of its own, as in life, and stamps each call as it arrives).
"""

from __future__ import annotations

import random
import statistics
from typing import Any

from bench.elsewhere import slack_elsewhere
from bench.latency import OPEN_AT, bare_app, serving, set_up_people
from bench.load import with_bodies
from bench.loadgen import Generator, Request, Stamped, percentile
from blocks.ids import ActionId
from bot.server import EVENTS_PATH
from config.settings import load_settings
from demo.cast import Person, update_texts
from demo.scene import header_ts
from demo.slack_requests import button_press, message_event
from demo.stage import CHANNEL, SIGNING_SECRET, SimClock, Stage, running_stage

SIZES = {"full size": 60, "three times": 180}  # bodies; each sends 4 requests at once
WORKERS = 10  # as bot.run runs the work after the acks (bot/run.py)


def _requests(
    stage: Stage, cast: list[tuple[Person, ...]], round_: int
) -> tuple[list[Request], dict[int, str]]:
    """Each body's press and three replies, shuffled; the ts of the reply at each index."""
    thread = header_ts(stage.fake, OPEN_AT.date()) or ""
    rng = random.Random(round_)
    made: list[tuple[Request, str | None]] = []
    for people in cast:
        person = people[0]
        press = button_press(
            user=person.user_id, action_id=ActionId.ROLL_PRESENT, channel=CHANNEL,
            message_ts=thread, response_url=stage.fake.response_url(f"rush-{person.user_id}"),
        )  # fmt: skip
        made.append(((press.body, press.content_type), None))
        for words in update_texts(rng, OPEN_AT.weekday(), 3):
            ts = stage.fake.add_message(CHANNEL, user=person.user_id, text=words, thread_ts=thread)
            reply = message_event(
                user=person.user_id, channel=CHANNEL, text=words, ts=ts, thread_ts=thread
            )
            made.append(((reply.body, reply.content_type), ts))
    rng.shuffle(made)
    return [request for request, _ in made], {i: ts for i, (_, ts) in enumerate(made) if ts}


def _acks(stamped: list[Stamped]) -> dict[str, float]:
    seconds = [s for _, s, _ in stamped]
    return {
        "p50_ms": percentile(seconds, 0.50) * 1000,
        "p95_ms": percentile(seconds, 0.95) * 1000,
        "p99_ms": percentile(seconds, 0.99) * 1000,
        "max_ms": max(seconds) * 1000,
        "not_200": float(sum(1 for status, _, _ in stamped if status != 200)),
    }


def _pooled(rounds: list[dict[str, float]]) -> dict[str, float]:
    """The median of each figure over the rounds (and the worst slowest)."""
    pooled = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    pooled["max_ms"] = max(r["max_ms"] for r in rounds)
    pooled["not_200"] = sum(r["not_200"] for r in rounds)
    return pooled


def _rush(database_url: str | None, bodies: int, rounds: int) -> dict[str, Any]:
    generator = Generator()
    ours: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    sent: dict[str, float] = {}
    try:
        clock = SimClock(OPEN_AT)
        settings = with_bodies(load_settings({}), bodies)
        with running_stage(
            settings, clock, database_url=database_url, threads=16, listener_workers=WORKERS
        ) as stage:
            cast = set_up_people(stage)
            clock.set(OPEN_AT.replace(hour=9, minute=28))
            url = stage.url + EVENTS_PATH
            # Every round's replies are in the thread before Slack's copy of the workspace is
            # taken, so that each reaction finds its message there, as it would in Slack.
            made = [_requests(stage, cast, round_) for round_ in range(rounds)]
            with slack_elsewhere(stage.fake) as slack, serving(bare_app(stage.fake)) as bare_url:
                stage.client.base_url = slack.base_url  # Bolt copies it into each request's client
                for requests, replies in made:
                    stamped = generator.burst_stamped(url, SIGNING_SECRET, requests)
                    ours.append(_acks(stamped))
                    sent.update({replies[i]: stamped[i][2] for i in replies})
                    stage.wait_idle(timeout=300)
                    bare.append(_acks(generator.burst_stamped(bare_url, SIGNING_SECRET, requests)))
            waits = [slack.reacted_at[ts] - at for ts, at in sent.items() if ts in slack.reacted_at]
    finally:
        generator.close()
    return _figures(_pooled(ours), _pooled(bare), waits, len(sent), bodies)


def _figures(
    ours: dict[str, float], bare: dict[str, float], waits: list[float], replies: int, bodies: int
) -> dict[str, Any]:
    return {
        "requests_at_once": bodies * 4,
        "ours": ours,
        "bare": bare,
        "p99_ratio": ours["p99_ms"] / bare["p99_ms"] if bare["p99_ms"] else float("nan"),
        "reply_to_tick": {
            "replies": replies,
            "ticked": len(waits),
            "p50_s": percentile(waits, 0.50),
            "p95_s": percentile(waits, 0.95),
            "p99_s": percentile(waits, 0.99),
            "max_s": max(waits, default=float("nan")),
        },
    }


def measure_rush(
    urls: dict[str, str | None], *, rounds: int = 3, sizes: dict[str, int] = SIZES
) -> dict[str, Any]:
    """The rush at each size on each database ({name: url or None for SQLite})."""
    return {
        f"{name}, {size}": _rush(url, bodies, rounds)
        for name, url in urls.items()
        for size, bodies in sizes.items()
    }
