"""Events API deliveries handled once: the event_id is a primary key, so retries are skipped.

bot/background.py checks each event here before its work runs.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.engine import Engine

from storage.inserts import insert_key
from storage.models import SlackEvent

_EVENTS = SlackEvent.__table__  # type: ignore[attr-defined]

log = logging.getLogger(__name__)


def first_delivery(engine: Engine, event_id: str, now: datetime) -> bool:
    """Record an event id; True the first time, False if any delivery recorded it before."""
    # Two deliveries racing: the database's primary key lets exactly one insert win.
    with engine.begin() as connection:  # one short write on every event, so no ORM session
        key = insert_key(
            connection, _EVENTS, {"event_id": event_id, "received_at": now}, "event_id"
        )
    return key is not None
