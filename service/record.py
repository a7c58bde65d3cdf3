"""The day's record in Slack: at the close, the day goes to the top of the week's canvas.

Where the canvas lives (docs.slack.dev): a *standalone* canvas per week (canvases.create),
shared read-only with the briefing channel (canvases.access.set), reached from a channel
bookmark ("DBM record", moved to the current week) and from a line posted in the day's thread
after the digest. Not the channel canvas (conversations.canvases.create): a channel has only one
(`channel_canvas_already_exists`), so it cannot hold a canvas per week, and its members may edit
it; a canvas tabbed in the channel (canvases.create with channel_id) is also writable by every
member. The record must be readable by the meeting and changed only by the bot.

Where canvases are unavailable (a missing scope, a free workspace, any Slack error) the chairs
are told once per problem and the meeting carries on: the digest is already in the thread.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from blocks.ids import EventType
from blocks.record import build_record_link, build_record_markdown, day_heading, record_title
from config.settings import Settings
from meeting.record import build_meeting_record, week_commencing
from meeting.record_canvases import (
    canvases_due,
    canvases_work,
    first_report,
    mark_deleted,
    set_link,
)
from meeting.retention import text_cutoff
from service.deps import Deps
from service.record_writing import DayContent, add_day, make_canvas, publish
from slack_adapter.alerts import can_message, notify_chairs
from slack_adapter.client import explain, make_client, slack_error
from slack_adapter.guard import ensure_channel_safe
from storage.db import session_scope
from storage.models import Briefing, RecordCanvas, RecordDay

log = logging.getLogger(__name__)

FREE_PLAN = frozenset(
    {"free_teams_cannot_create_non_tabbed_canvases", "free_teams_cannot_edit_standalone_canvases"}
)


def _why(error: str) -> str:
    if error in FREE_PLAN:
        return "canvases the bot can keep read-only need a paid Slack plan"
    if error == "missing_scope":
        return (
            "the app lacks a canvas, bookmark or file scope: update it from "
            "config/slack-manifest.json and reinstall it"
        )
    return explain(error)


def _unavailable(deps: Deps, client: WebClient, error: str, now: datetime) -> None:
    log.warning("the day's record was not written to its canvas: %s; %s", error, _why(error))
    with session_scope(deps.engine) as session:
        first = first_report(session=session, error=error, now=now, claimer=deps.instance)
    if first and can_message(error):
        notify_chairs(
            deps,
            client,
            f":warning: I could not write the day's record to its Slack canvas: Slack said "
            f"`{error}` ({_why(error)}). The digest is in the briefing thread as usual and the "
            "meeting carries on; I will try the canvas again at each close and tell you only "
            "of a different problem.",
        )


def _content(deps: Deps, briefing: Briefing, now: datetime) -> DayContent:
    with session_scope(deps.engine) as session:
        record = build_meeting_record(
            session=session, briefing=briefing, threats=deps.settings.threats, now=now
        )
    meeting = deps.settings.meeting
    markdown = build_record_markdown(record, meeting.timezone)
    return DayContent(meeting.marking, day_heading(briefing.meeting_date), markdown)


def _post_link(
    deps: Deps, client: WebClient, canvas: RecordCanvas, day: RecordDay, briefing: Briefing
) -> None:
    """Post the line linking the record in the day's thread, once."""
    if day.link_ts or not canvas.permalink:
        return
    title = record_title(canvas.week_start)
    text, blocks = build_record_link(title, canvas.permalink, deps.settings.meeting.marking)
    response = client.chat_postMessage(
        channel=briefing.channel_id,
        thread_ts=briefing.thread_ts,
        text=text,
        blocks=blocks,
        metadata={
            "event_type": EventType.RECORD_LINK.value,
            "event_payload": {"briefing_id": briefing.id, "canvas_id": canvas.canvas_id},
        },
        unfurl_links=False,
    )
    with session_scope(deps.engine) as session:
        set_link(session=session, row=session.merge(day), ts=str(response["ts"]))


def _write(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> bool:
    week = week_commencing(briefing.meeting_date)
    canvas = make_canvas(deps, client, briefing.channel_id, week, now)
    if canvas is None:
        return False
    day = add_day(deps, client, canvas, briefing, _content(deps, briefing, now), now)
    canvas = publish(deps, client, canvas)
    if day is not None:
        _post_link(deps, client, canvas, day, briefing)
    return True


def write_day_record(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> None:
    """Closing step: add the day's record at the top of the week's canvas (once) and link it
    from the thread; where canvases are unavailable, tell the chairs once and carry on."""
    if not briefing.thread_ts or briefing.id is None:
        return
    if ensure_channel_safe(deps, client, briefing.channel_id, now=now) is not None:
        log.error("the record of briefing %s was not written: the channel was refused", briefing.id)
        return
    try:
        written = _write(deps, client, briefing, now)
    except SlackApiError as exc:
        _unavailable(deps, client, slack_error(exc), now)
        return
    if written:
        with session_scope(deps.engine) as session:
            canvases_work(session=session)
        log.info("the record of briefing %s is in its week's canvas", briefing.id)


def delete_old_canvases(
    engine: Engine, client: WebClient, *, now: datetime, retention_days: int
) -> list[str]:
    """Delete the bot's record canvases made before the retention period; their ids."""
    with session_scope(engine) as session:
        due = canvases_due(session=session, before=text_cutoff(now, retention_days))
    deleted: list[str] = []
    for row in due:
        assert row.canvas_id is not None
        try:
            client.canvases_delete(canvas_id=row.canvas_id)
        except SlackApiError as exc:
            if slack_error(exc) != "canvas_not_found":  # gone already: nothing left to delete
                log.warning("could not delete canvas %s: %s", row.canvas_id, slack_error(exc))
                continue
        with session_scope(engine) as session:
            mark_deleted(session=session, row=session.merge(row), now=now)
        deleted.append(row.canvas_id)
    return deleted


def purge_record_canvases(settings: Settings, engine: Engine, now: datetime) -> list[str]:
    """The retention purge's part in Slack: delete the old canvases (none without a token)."""
    if not settings.bot_token:
        return []
    client = make_client(settings)
    return delete_old_canvases(
        engine, client, now=now, retention_days=settings.meeting.retention_days
    )
