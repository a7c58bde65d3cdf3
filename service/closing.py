"""Closing the briefing: mark it closed, then run each feature's closing step once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slack_sdk import WebClient

from meeting.briefings import close_briefing, open_briefing
from service.deps import Deps
from service.digest import post_digest
from service.header import close_header
from service.record import write_day_record
from service.reminders import mark_absent_on_close
from service.renewals import lapse_at_close, tell_lapsed
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)

# A step runs after the briefing is marked closed: mark absent bodies, lapse unrenewed demands
# (before the digest, which lists them), post the digest, tell the raisers of lapsed demands,
# show the header closed (with the final roll call), add the day to the week's record.
CloseStep = Callable[[Deps, WebClient, Briefing, datetime], None]
CLOSE_STEPS: list[CloseStep] = [
    mark_absent_on_close,
    lapse_at_close,
    post_digest,
    tell_lapsed,
    close_header,
    write_day_record,
]


class Closed(StrEnum):
    """What an attempt to close did."""

    CLOSED = "closed"
    NOT_OPEN = "not_open"


@dataclass(frozen=True)
class CloseResult:
    """The outcome, with the briefing where there is one."""

    status: Closed
    briefing: Briefing | None


def close_briefing_now(
    deps: Deps, client: WebClient, *, now: datetime, closed_by: str
) -> CloseResult:
    """Close the open briefing of the channel and run the closing steps."""
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        if briefing is None or not close_briefing(
            session=session, briefing=briefing, now=now, closed_by=closed_by
        ):
            return CloseResult(Closed.NOT_OPEN, briefing)
    for step in CLOSE_STEPS:
        try:
            step(deps, client, briefing, now)
        except Exception:
            log.exception("closing step %s failed for briefing %s", step.__name__, briefing.id)
    log.info("closed briefing %s (%s)", briefing.id, briefing.meeting_date)
    return CloseResult(Closed.CLOSED, briefing)


def run_close_briefing(
    deps: Deps, client: WebClient, now: datetime | None = None
) -> list[CloseResult]:
    """The close-time job: close every briefing still open (today's, and any left open)."""
    now = now or deps.clock()
    results: list[CloseResult] = []
    while (result := close_briefing_now(deps, client, now=now, closed_by="scheduler")).status is (
        Closed.CLOSED
    ):
        results.append(result)
    return results
