"""The briefing header kept live: its call and close times, the roll call as bodies check in,
the carried demands, and at the close its closed state.

Every change asks for a write; writes are paced (service/pacer.py, meeting/pacing.py) so the
header is edited at most once per five seconds whatever the rush, the last change of a burst
written by the `header_roll_call` job. Writes run one at a time (Deps.header_refresh): a write
renders what is stored when it runs, so asks that arrive during it need one more write, not one
each.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from slack_sdk import WebClient

from blocks.briefing import HeaderView, build_briefing_header, build_header_fallback
from blocks.text import Block
from meeting.attendance import roll_call
from meeting.briefings import open_briefing
from meeting.day import day_times
from meeting.demands import header_demands
from meeting.rollcall import tally_roll_call
from service.deps import Deps
from service.guidance import guidance_link
from slack_adapter.client import replace_message
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)


def header_view(
    deps: Deps, briefing: Briefing, *, opened_at: datetime, client: WebClient | None = None
) -> HeaderView:
    """What a briefing's header shows now: times, roll call, carried demands; closed or open."""
    meeting = deps.settings.meeting
    assert briefing.id is not None
    with session_scope(deps.engine) as session:
        page = header_demands(
            session=session, briefing_id=briefing.id, limit=meeting.header_demands
        )
        roll = tally_roll_call(roll_call(session=session, briefing=briefing))
    scheduled = briefing.kind != "extra"  # an extra session closes when a chair closes it
    times = day_times(briefing.meeting_date, meeting)
    return HeaderView(
        meeting_date=briefing.meeting_date,
        events_from=briefing.events_from,
        opened_at=opened_at,
        plans_until=briefing.plans_until,
        zone=meeting.timezone,
        extra=not scheduled,
        open_demands=page.shown,
        guidance_url=guidance_link(deps, client) if client is not None else None,
        call_at=times.call_at if scheduled else None,
        closes_at=times.closes_at if scheduled else None,
        roll=roll,
        demands_total=page.total,
        demand_limit=meeting.header_demands,
        closed_at=briefing.closed_at if briefing.status == "closed" else None,
    )


def _stored(deps: Deps, briefing_id: int) -> Briefing | None:
    with session_scope(deps.engine) as session:
        return session.get(Briefing, briefing_id)


def _write(deps: Deps, client: WebClient, briefing_id: int) -> None:
    """Render a briefing's header from the record and edit it in place (unless unchanged)."""
    briefing = _stored(deps, briefing_id)
    if briefing is None or not briefing.thread_ts or briefing.opened_at is None:
        return
    view = header_view(deps, briefing, opened_at=briefing.opened_at, client=client)
    text, blocks = build_header_fallback(view), build_briefing_header(view)
    rendered = _fingerprint(text, blocks)
    if deps.header_pace.unchanged(briefing_id, rendered):
        return
    written = replace_message(
        client,
        channel=briefing.channel_id,
        ts=briefing.thread_ts,
        text=text,
        blocks=blocks,
        what=f"the header of briefing {briefing.id}",
    )
    if written:
        deps.header_pace.wrote(briefing_id, rendered)


def _fingerprint(text: str, blocks: list[Block]) -> int:
    return hash((text, json.dumps(blocks, sort_keys=True)))


def _write_asked(deps: Deps, client: WebClient) -> None:
    for briefing_id in deps.header_pace.take_asked():
        _write(deps, client, briefing_id)


def _run_writes(deps: Deps, client: WebClient) -> None:
    deps.header_refresh.run(lambda: _write_asked(deps, client))


def header_changed(deps: Deps, client: WebClient, briefing_id: int | None) -> None:
    """Something the header shows changed (a check-in, a demand): write it now, or leave it to
    the `header_roll_call` job when it was written less than five seconds ago."""
    if briefing_id is not None and deps.header_pace.changed(briefing_id, deps.clock()):
        _run_writes(deps, client)


def open_header_changed(deps: Deps, client: WebClient) -> None:
    """The open briefing's header shows something that changed (carried demands)."""
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
    if briefing is not None:
        header_changed(deps, client, briefing.id)


def write_due_header(deps: Deps, client: WebClient, now: datetime | None = None) -> int:
    """The `header_roll_call` job: write each header whose paced write is due; how many."""
    due = deps.header_pace.due(now or deps.clock())
    if due:
        _run_writes(deps, client)
    return len(due)


def close_header(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> None:
    """Closing step: the header loses its buttons and says when it closed (written at once)."""
    if briefing.id is None:
        return
    deps.header_pace.force(briefing.id, now)
    _run_writes(deps, client)
    log.info("header of briefing %s shows it closed", briefing.id)
