"""Ack first, work later: listeners acknowledge at once and do their work on a separate pool.

Bolt runs a listener in its listener pool and answers Slack when the listener calls ack(); in a
burst, an ack waits for a free worker, and workers are busy doing earlier requests' work. So the
listener registered with Bolt only acks and queues the work on Deps.background. Retried Events
API deliveries are dropped here too (the event id is a primary key), off the ack path.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond, Say
from slack_sdk import WebClient

from bot.dedupe import first_delivery
from bot.deps import deps_of

log = logging.getLogger(__name__)

Listener = Callable[..., None]


def _acked(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for ack() inside deferred work: Slack was answered already."""


def _event_id(body: dict[str, Any]) -> str | None:
    if body.get("type") != "event_callback" or not body.get("event_id"):
        return None
    return str(body["event_id"])


def _run(
    listener: Listener, kwargs: dict[str, Any], context: BoltContext, event_id: str | None
) -> None:
    deps = deps_of(context)
    deps.gate.wait_quiet()
    try:
        if event_id is not None and not first_delivery(deps.engine, event_id, deps.clock()):
            log.info("skipped repeated delivery of event %s", event_id)
            return
        listener(**kwargs)
    except Exception:
        log.exception("%s failed", listener.__name__)


def deferred(listener: Listener) -> Listener:
    """A Bolt listener that acks at once and runs `listener` on the background pool."""
    wanted = set(inspect.signature(listener).parameters)

    def ack_then_defer(
        ack: Ack,
        body: dict[str, Any],
        payload: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        say: Say,
        logger: logging.Logger,
    ) -> None:
        ack()
        available: dict[str, Any] = {
            "ack": _acked,
            "body": body,
            "payload": payload,
            "context": context,
            "client": client,
            "respond": respond,
            "say": say,
            "logger": logger,
            "event": payload,
            "action": payload,
            "command": payload,
        }
        kwargs = {name: value for name, value in available.items() if name in wanted}
        deps_of(context).background.submit(_run, listener, kwargs, context, _event_id(body))

    ack_then_defer.__name__ = f"deferred_{listener.__name__}"
    return ack_then_defer
