"""The durable intake: a Slack request that changes the record is committed before Slack's 200.

Slack never redelivers a request it was answered with a 200, so from that answer on this row is
the only copy of the input. Its work runs right after the answer; a row whose work did not finish
(the process stopped or died) is run again on start. Slack's own retries and replays of the same
request carry the same key, so they are stored once and their work runs once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Engine

from storage.inserts import insert_key
from storage.models import Intake

_INTAKE: Table = Intake.__table__  # type: ignore[attr-defined]
RESPONSE_URL_LIFE = timedelta(minutes=25)


@dataclass(frozen=True)
class Received:
    """A request as it was received: its key, the work it needs, its body and when it came."""

    key: str
    work: str
    payload: dict[str, Any]
    received_at: datetime
    # False for a request resumed after its response_url expired (Slack honours one for 30
    # minutes): the person is then answered by direct message.
    response_url_valid: bool = True


def receive(engine: Engine, received: Received) -> bool:
    """Commit a request before Slack is answered; False if its key was stored before."""
    values = {
        "key": received.key,
        "work": received.work,
        "payload": json.dumps(received.payload, separators=(",", ":")),
        "received_at": received.received_at,
        "done_at": None,
    }
    # One INSERT on the ack path of every request: Core, not the ORM's unit of work.
    with engine.begin() as connection:
        return insert_key(connection, _INTAKE, values, "key") is not None


def finish(engine: Engine, key: str, now: datetime) -> None:
    """Mark a request's work done, so it is not run again on start."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Losing this mark in a crash only runs the (idempotent) work again on start, so
            # PostgreSQL need not wait for it to reach the disk; a later durable commit takes it
            # there with it (the log is written in order).
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        connection.execute(update(_INTAKE).where(_INTAKE.c.key == key).values(done_at=now))


def pending(
    engine: Engine, *, received_before: datetime, now: datetime, limit: int = 1000
) -> list[Received]:
    """Requests whose work has not finished, oldest first (received before a moment)."""
    query = (
        select(_INTAKE.c.key, _INTAKE.c.work, _INTAKE.c.payload, _INTAKE.c.received_at)
        .where(_INTAKE.c.done_at.is_(None), _INTAKE.c.received_at < received_before)
        .order_by(_INTAKE.c.received_at, _INTAKE.c.key)
        .limit(limit)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    found = [_received(row) for row in rows]
    return [replace(r, response_url_valid=now - r.received_at < RESPONSE_URL_LIFE) for r in found]


def known(engine: Engine, keys: list[str]) -> set[str]:
    """Which of these keys were received already (done or not)."""
    if not keys:
        return set()
    with engine.connect() as connection:
        found = connection.execute(select(_INTAKE.c.key).where(_INTAKE.c.key.in_(keys)))
        return {str(key) for key in found.scalars()}


def _received(row: Any) -> Received:
    return Received(row[0], row[1], json.loads(row[2]), row[3])


def stored(engine: Engine, key: str) -> Received | None:
    """A request as it was stored, by its key (None if never received, or purged)."""
    query = select(_INTAKE.c.key, _INTAKE.c.work, _INTAKE.c.payload, _INTAKE.c.received_at)
    with engine.connect() as connection:
        row = connection.execute(query.where(_INTAKE.c.key == key)).first()
    return None if row is None else _received(row)


def latest(engine: Engine, prefix: str) -> Received | None:
    """The request received last among those whose keys start with `prefix` (e.g. the edits of
    one message)."""
    query = (
        select(_INTAKE.c.key, _INTAKE.c.work, _INTAKE.c.payload, _INTAKE.c.received_at)
        .where(_INTAKE.c.key.startswith(prefix, autoescape=True))
        .order_by(_INTAKE.c.received_at.desc(), _INTAKE.c.key.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else _received(row)


# Where a message event carries what its author wrote (the edited and previous versions too).
_WRITTEN = ("text", "blocks", "attachments", "files")


def _unwritten(payload: dict[str, Any]) -> dict[str, Any]:
    event = payload.get("event") or {}
    for part in (event, event.get("message"), event.get("previous_message")):
        if isinstance(part, dict):
            for name in _WRITTEN:
                part.pop(name, None)
    return payload


def forget_text(engine: Engine, key: str) -> None:
    """Drop what a person wrote from a stored request, keeping the rest (who, where, when): a
    reply marked SECRET or above is refused, and none of its text may be kept."""
    found = stored(engine, key)
    if found is None:
        return
    payload = json.dumps(_unwritten(found.payload), separators=(",", ":"))
    with engine.begin() as connection:
        connection.execute(update(_INTAKE).where(_INTAKE.c.key == key).values(payload=payload))
