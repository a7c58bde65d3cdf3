"""Writing the week's canvas: making it once, adding a day once at the top, sharing it
read-only with the channel and keeping the channel's "DBM record" bookmark on it.

A day goes in under a claim in the database; before it is added the canvas itself is asked
(canvases.sections.lookup) whether the day's heading is there, so a process that died between
writing and recording does not write the day again. Section ids change after every edit, so
each targeted change looks its section up just before.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, NamedTuple

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.record import marking_heading, record_title
from meeting.record_canvases import (
    claim_day,
    claim_week_canvas,
    day_row,
    day_written,
    latest_week,
    release_day,
    release_week_canvas,
    retake_day,
    set_canvas,
    set_permalink,
    stale,
    week_canvas,
)
from service.deps import Deps
from storage.db import session_scope
from storage.models import Briefing, RecordCanvas, RecordDay

log = logging.getLogger(__name__)

BOOKMARK_TITLE = "DBM record"


class DayContent(NamedTuple):
    """What goes into the canvas for a day: under which marking, its heading, its markdown."""

    marking: str
    heading: str
    markdown: str


def _markdown(text: str) -> dict[str, str]:
    return {"type": "markdown", "markdown": text}


def _claim_week(deps: Deps, channel: str, week: date, now: datetime) -> RecordCanvas | None:
    """The week's row if this caller may use it (made, or ours to make); None otherwise."""
    with session_scope(deps.engine) as session:
        row = week_canvas(session=session, channel=channel, week_start=week)
        if row is None:
            return claim_week_canvas(session=session, channel=channel, week_start=week, now=now)
    if row.deleted_at is not None:
        log.warning("the canvas of the week of %s was deleted by the purge: not remade", week)
        return None
    if row.canvas_id is None and not stale(row.created_at, now):
        return None  # another process is making it
    return row


def make_canvas(
    deps: Deps, client: WebClient, channel: str, week: date, now: datetime
) -> RecordCanvas | None:
    """The week's canvas, made once (the marking as its first line); None if not ours to use."""
    row = _claim_week(deps, channel, week, now)
    if row is None or row.canvas_id is not None:
        return row
    heading = marking_heading(deps.settings.meeting.marking)
    try:
        response = client.canvases_create(
            title=record_title(week), document_content=_markdown(heading)
        )
    except SlackApiError:
        with session_scope(deps.engine) as session:
            release_week_canvas(session=session, row=row)
        raise
    with session_scope(deps.engine) as session:
        made = session.merge(row)
        set_canvas(session=session, row=made, canvas_id=str(response["canvas_id"]), now=now)
    return made


def _sections(client: WebClient, canvas_id: str, level: str, text: str) -> list[Any]:
    criteria = {"section_types": [level], "contains_text": text}
    found = client.canvases_sections_lookup(canvas_id=canvas_id, criteria=criteria)
    return list(found.get("sections") or [])


def _insert(client: WebClient, canvas_id: str, content: DayContent) -> None:
    """Insert the day under the marking (which is put back first if someone removed it)."""
    if _sections(client, canvas_id, "h2", content.heading):
        return  # written before, by a process that died before recording it
    marking = _sections(client, canvas_id, "h1", content.marking)
    if marking:
        change = {"operation": "insert_after", "section_id": marking[0]["id"]}
        change["document_content"] = _markdown(content.markdown)
    else:
        text = f"{marking_heading(content.marking)}\n{content.markdown}"
        change = {"operation": "insert_at_start", "document_content": _markdown(text)}
    client.canvases_edit(canvas_id=canvas_id, changes=[change])


def _claim_day(
    deps: Deps, canvas: RecordCanvas, briefing: Briefing, now: datetime
) -> tuple[RecordDay | None, bool]:
    """The day's row and whether this caller must write it."""
    with session_scope(deps.engine) as session:
        row = claim_day(session=session, canvas=canvas, briefing=briefing, now=now)
        if row is not None:
            return row, True
        row = day_row(session=session, canvas=canvas, day=briefing.meeting_date)
        if row is None or row.status == "written":
            return row, False
        if not stale(row.claimed_at, now):
            return None, False  # another process is writing it
        retake_day(session=session, row=row, now=now)
        return row, True


def add_day(
    deps: Deps,
    client: WebClient,
    canvas: RecordCanvas,
    briefing: Briefing,
    content: DayContent,
    now: datetime,
) -> RecordDay | None:
    """Add a briefing's day at the top of its week's canvas, once; its row (None while another
    process writes it)."""
    assert canvas.canvas_id is not None
    row, mine = _claim_day(deps, canvas, briefing, now)
    if row is None or not mine:
        return row
    try:
        _insert(client, canvas.canvas_id, content)
    except SlackApiError:
        with session_scope(deps.engine) as session:
            release_day(session=session, row=row)
        raise
    with session_scope(deps.engine) as session:
        written = session.merge(row)
        day_written(session=session, row=written, now=now)
    return written


def _bookmark(client: WebClient, channel: str, link: str) -> None:
    """Point the channel's "DBM record" bookmark at the canvas (adding it if missing)."""
    bookmarks = client.bookmarks_list(channel_id=channel).get("bookmarks") or []
    ours = [b for b in bookmarks if b.get("title") == BOOKMARK_TITLE]
    if not ours:
        client.bookmarks_add(
            channel_id=channel, title=BOOKMARK_TITLE, type="link", link=link, emoji=":memo:"
        )
    elif ours[0].get("link") != link:
        client.bookmarks_edit(channel_id=channel, bookmark_id=ours[0]["id"], link=link)


def publish(deps: Deps, client: WebClient, canvas: RecordCanvas) -> RecordCanvas:
    """Share the canvas read-only with the channel, learn its link (once) and bookmark the
    newest week's canvas in the channel; the row, with its link."""
    assert canvas.canvas_id is not None
    client.canvases_access_set(
        canvas_id=canvas.canvas_id, access_level="read", channel_ids=[canvas.channel_id]
    )
    if canvas.permalink is None:
        link = str(client.files_info(file=canvas.canvas_id)["file"]["permalink"])
        with session_scope(deps.engine) as session:
            canvas = session.merge(canvas)
            set_permalink(session=session, row=canvas, permalink=link)
    with session_scope(deps.engine) as session:
        newest = latest_week(session=session, channel=canvas.channel_id)
    if canvas.permalink and newest == canvas.week_start:
        _bookmark(client, canvas.channel_id, canvas.permalink)
    return canvas
