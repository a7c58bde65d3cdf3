"""`python -m bench.reply_cost`: the database work of one stored thread reply, in one thread.

The same calls a new reply makes (the intake's INSERT before the ack, then the reply's one
transaction: the briefing by thread, whether the guidance was sent, read, check and store, and the
intake row marked done), run one after another with no HTTP and no Slack, so the figure is the cost
of that work alone.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from typing import Any

from bench.latency import OPEN_AT, set_up_people
from config.settings import load_settings
from demo.cast import update_texts
from demo.scene import header_ts
from demo.stage import CHANNEL, SimClock, Stage, running_stage
from service.replies import Heard, record_reply, reply_key
from slack_adapter.intake import Received, finish, receive

WARM_UP = 50


def _replies(stage: Stage, n: int) -> list[dict[str, Any]]:
    people = [p for body in set_up_people(stage) for p in body]
    thread = header_ts(stage.fake, OPEN_AT.date())
    texts = update_texts(random.Random(2), OPEN_AT.weekday(), n)
    return [
        {"user": people[i % len(people)].user_id, "text": words, "ts": f"1800000000.{i:06d}",
         "thread_ts": thread, "channel": CHANNEL}
        for i, words in enumerate(texts)
    ]  # fmt: skip


def _store(stage: Stage, message: dict[str, Any]) -> bool:
    deps = stage.deps
    key = reply_key(CHANNEL, str(message["ts"]))
    receive(deps.engine, Received(key, "message", {"event": message}, deps.clock()))
    result = record_reply(deps, message, now=deps.clock())
    finish(deps.engine, key, deps.clock())
    return result.heard is Heard.RECORDED


def reply_cost(n: int = 1000) -> dict[str, float]:
    """Milliseconds of database work per stored reply, and how many of n were stored."""
    clock = SimClock(OPEN_AT)
    with running_stage(load_settings({}), clock) as stage:
        messages = _replies(stage, n + WARM_UP)
        clock.set(OPEN_AT.replace(minute=40))
        for message in messages[:WARM_UP]:
            _store(stage, message)
        started = time.perf_counter()
        stored = sum(_store(stage, message) for message in messages[WARM_UP:])
        seconds = time.perf_counter() - started
    return {"ms_per_reply": seconds / n * 1000, "stored": stored, "replies": n}


def main(argv: Sequence[str] | None = None) -> int:
    """Print the cost."""
    parser = argparse.ArgumentParser(prog="python -m bench.reply_cost", description=__doc__)
    parser.add_argument("-n", type=int, default=1000, help="replies to store (default 1000)")
    figures = reply_cost(parser.parse_args(argv).n)
    print(f"{figures['ms_per_reply']:.2f} ms of database work per stored reply "
          f"({figures['stored']:.0f}/{figures['replies']:.0f} stored)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
