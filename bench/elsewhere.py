"""Slack's side in a process of its own, as it is in life, while the bot's process is measured.

The demo stage serves the Slack stand-in from a thread of the bot's own process, so every Web
API call the bot makes would also cost the bot's interpreter the stand-in's work of answering
it. For throughput, a copy of the stand-in's workspace is served from a child process instead.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from standin import FakeSlack


@dataclass
class Elsewhere:
    """The child's Web API base URL; the calls it answered, by method, once it has stopped."""

    base_url: str
    calls: Counter[str] = field(default_factory=Counter)
    # when each reaction was added, by the message's ts (seconds since the epoch)
    reacted_at: dict[str, float] = field(default_factory=dict)


def _serve(workspace: dict[str, Any], pipe: Connection) -> None:
    with FakeSlack() as fake:
        fake.seed_workspace(workspace)
        pipe.send(fake.base_url)
        pipe.recv()  # until the parent says stop
        pipe.send(Counter(call.method for call in fake.calls))
        reactions = [c for c in fake.calls if c.method == "reactions.add"]
        pipe.send({str(c.args.get("timestamp")): c.at for c in reactions})


@contextmanager
def slack_elsewhere(fake: FakeSlack) -> Iterator[Elsewhere]:
    """A copy of `fake`'s workspace served by a child process."""
    spawn = multiprocessing.get_context("spawn")
    parent, child = spawn.Pipe()
    process = spawn.Process(
        target=_serve, args=(fake.workspace(), child), name="slack-elsewhere", daemon=True
    )
    process.start()
    elsewhere = Elsewhere(str(parent.recv()))
    try:
        yield elsewhere
    finally:
        parent.send("stop")
        elsewhere.calls.update(parent.recv())
        elsewhere.reacted_at.update(parent.recv())
        process.join(timeout=10)
