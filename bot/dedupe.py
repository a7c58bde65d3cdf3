"""Events API deliveries handled once: the event_id is a primary key, so retries are skipped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.deps import deps_of
from storage.db import session_scope
from storage.models import SlackEvent

log = logging.getLogger(__name__)


def first_delivery(engine: Engine, event_id: str, now: datetime) -> bool:
    """Record an event id; True the first time, False if any delivery recorded it before."""
    try:
        with session_scope(engine) as session:
            session.add(SlackEvent(event_id=event_id, received_at=now))
    except IntegrityError:
        # Two deliveries racing: the database's primary key lets exactly one insert win.
        return False
    return True


def _event_id(body: dict[str, Any]) -> str | None:
    if body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    return str(event_id) if event_id else None


def skip_duplicate_events(
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], None],  # noqa: A002 (Bolt's name)
) -> BoltResponse | None:
    """Bolt middleware: acknowledge a repeated Events API delivery without running listeners."""
    event_id = _event_id(body)
    if event_id is None:
        next()
        return None
    deps = deps_of(context)
    if first_delivery(deps.engine, event_id, deps.clock()):
        next()
        return None
    # Slack retries (X-Slack-Retry-Num) when an ack was slow or lost; the first delivery
    # already ran, so answer 200 to stop further retries and do nothing else.
    log.info("skipped repeated delivery of event %s", event_id)
    return BoltResponse(status=200, body="")
