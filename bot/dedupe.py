"""Events API deliveries handled once: the event_id is a primary key, so retries are skipped.

bot/background.py checks each event here before its work runs.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

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
