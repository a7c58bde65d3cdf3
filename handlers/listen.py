"""Commit, answer, then work: how every listener is wired.

With `process_before_response`, Bolt answers Slack when the listener's ack function returns. The
ack function commits the request to the durable intake (one INSERT) and only then acks, and
queues the work on the work executor (bot/executor.py), which does it after the answer and marks
the request done, after the work has answered the person (a crash between the two answers them
again rather than never).
A request whose work did not finish (the process stopped or died) is run again on start
(`Listeners.resume`). Read-only requests (a key of None) are not stored: nothing is lost if they
die, and the person can ask again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from handlers.answer import tell_failure
from service.deps import Deps
from slack_adapter.group_commit import GroupCommit
from slack_adapter.intake import Received, finish, pending

log = logging.getLogger(__name__)

Work = Callable[[Deps, WebClient, Received], None]
KeyOf = Callable[[dict[str, Any]], str | None]
# Checks a request before it is committed; errors to answer with instead (modal fields).
Check = Callable[[Deps, WebClient, dict[str, Any]], dict[str, str] | None]
Route = Callable[..., Any]


@dataclass
class Listeners:
    """The app's durable listeners and the work each runs, for after the ack and for resuming."""

    deps: Deps
    client: WebClient
    executor: Executor
    works: dict[str, Work] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.intake = GroupCommit(self.deps.engine)

    def durable(
        self, route: Route, name: str, work: Work, key: KeyOf, check: Check | None = None
    ) -> None:
        """Wire `route` (e.g. app.event("message")) to commit, ack, then run `work`."""
        self.works[name] = work
        route(self._ack_function(name, key, check))

    def _ack_function(self, name: str, key_of: KeyOf, check: Check | None) -> Callable[..., None]:
        deps = self.deps

        def commit_then_ack(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            errors = check(deps, client, body) if check is not None else None
            if errors:
                ack(response_action="errors", errors=errors)
                return
            key, now = key_of(body), deps.clock()
            new = key is None or self.intake.receive(Received(key, name, body, now))
            ack()
            if new:
                # The work runs on the executor after the answer. Bolt's lazy listeners would do
                # that too, but they deep-copy each request first (its body, context and
                # WebClient), on the ack path: measured with cProfile, 0.22 of the 0.57 ms our
                # ack path took a request, and in the rush (240 requests at once) the p99 ack
                # went from 354 to 327 ms without it.
                self.executor.submit(self.run, Received(key or "", name, body, now))

        commit_then_ack.__name__ = f"commit_{name}"
        return commit_then_ack

    def run(self, received: Received) -> None:
        """Do a request's work; mark it done (also when it failed: the person was told)."""
        work = self.works.get(received.work)
        try:
            if work is None:
                log.error("no work called %s for request %s", received.work, received.key)
            else:
                work(self.deps, self.client, received)
        except Exception as exc:
            log.error("%s failed for request %s: %s", received.work, received.key, _name(exc))
            log.debug("the failure of %s", received.key, exc_info=exc)
            tell_failure(self.client, received)
        if received.key:
            finish(self.deps.engine, received.key, self.deps.clock())

    def resume(self, received_before: datetime) -> int:
        """Run the work of every stored request that did not finish; how many there were."""
        count = 0
        while batch := pending(
            self.deps.engine, received_before=received_before, now=self.deps.clock()
        ):
            for received in batch:
                self.run(received)
            count += len(batch)
        return count


def _name(exc: BaseException) -> str:
    """An exception's class name only: messages of database errors can carry update text."""
    return exc.__class__.__name__
