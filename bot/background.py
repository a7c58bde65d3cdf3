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
from service.deps import Deps, deps_of

log = logging.getLogger(__name__)

Listener = Callable[..., None]


def _acked(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for ack() inside deferred work: Slack was answered already."""


def _event_id(body: dict[str, Any]) -> str | None:
    if body.get("type") != "event_callback" or not body.get("event_id"):
        return None
    return str(body["event_id"])


FAILED = (
    "Sorry, that failed on our side and did not finish. Nothing you had recorded was lost; "
    "please try again, or tell a chair if it keeps failing."
)


def _tell_failure(body: dict[str, Any], respond: Respond, client: WebClient) -> None:
    """Tell the person whose request failed (never the error itself): by response_url for
    buttons, or privately in the channel for a message they posted."""
    event = body.get("event") or {}
    try:
        if respond.response_url:
            respond(text=FAILED, response_type="ephemeral", replace_original=False)
        elif event.get("user") and event.get("channel") and not event.get("bot_id"):
            thread = event.get("thread_ts") or event.get("ts")
            client.chat_postEphemeral(
                channel=event["channel"], user=event["user"], text=FAILED, thread_ts=thread
            )
    except Exception:
        log.warning("could not tell the user that %s failed", body.get("type"))


def _run(
    listener: Listener, kwargs: dict[str, Any], request: dict[str, Any], event_id: str | None
) -> None:
    deps = deps_of(request["context"])
    deps.gate.wait_quiet()
    try:
        if event_id is not None and not first_delivery(deps.engine, event_id, deps.clock()):
            log.info("skipped repeated delivery of event %s", event_id)
            return
        listener(**kwargs)
    except Exception:
        log.exception("%s failed", listener.__name__)
        _tell_failure(request["body"], request["respond"], request["client"])


def _later(deps: Deps, work: Callable[..., None], args: tuple[Any, ...]) -> None:
    deps.gate.wait_quiet()
    try:
        work(*args)
    except Exception:
        log.exception("%s failed", getattr(work, "__name__", "work"))


def later(deps: Deps, work: Callable[..., None], *args: Any) -> None:
    """Run `work(*args)` on the background pool: what a listener that answers Slack itself (a
    modal submission's response_action) still has to do after its ack()."""
    deps.background.submit(_later, deps, work, args)


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
        deps_of(context).background.submit(_run, listener, kwargs, available, _event_id(body))

    ack_then_defer.__name__ = f"deferred_{listener.__name__}"
    return ack_then_defer
