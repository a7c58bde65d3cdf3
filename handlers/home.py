"""The App Home tab: each person's view on opening it, and the chair's buttons there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.briefing import build_already_open, build_closed, build_opened
from blocks.home import GuidanceState, HomeView, build_home_view
from blocks.ids import ActionId
from bot.background import deferred
from bot.closing import Closed, close_briefing_now
from bot.deps import Deps, deps_of
from bot.guidance_delivery import guidance_link
from bot.opening import Opened, open_briefing_now, permalink
from bot.slack import slack_error
from meeting.briefings import no_meeting_reason
from meeting.calendar import local_date
from meeting.guidance import current_version, has_acknowledged
from meeting.home import roll_call, today_briefing, updates_today, week_attendance
from storage.db import session_scope

log = logging.getLogger(__name__)

REFUSED = "Only the meeting's chairs can use those buttons. Nothing was changed."
ChairAction = Callable[[Deps, WebClient, str, datetime], str]


def _guidance_state(deps: Deps, client: WebClient, user_id: str) -> GuidanceState:
    with session_scope(deps.engine) as session:
        version = current_version(session=session)
        if version is None or version.id is None:
            return GuidanceState()
        acked = has_acknowledged(session=session, user_id=user_id, version_id=version.id)
    return GuidanceState(version.published_at, acked, guidance_link(deps, client))


def home_view(
    deps: Deps, client: WebClient, user_id: str, *, now: datetime, notice: str | None = None
) -> dict[str, Any]:
    """The App Home view of one person (with the chair's controls for chairs)."""
    chair = deps.chairs.is_chair(user_id, client)
    meeting = deps.settings.meeting
    with session_scope(deps.engine) as session:
        today = today_briefing(session=session, channel=deps.channel, now=now, meeting=meeting)
        weeks = week_attendance(
            session=session, user_id=user_id, channel=deps.channel, now=now, meeting=meeting
        )
        updates = updates_today(session=session, user_id=user_id, briefing_id=today.briefing_id)
        lines = (
            roll_call(session=session, briefing_id=today.briefing_id, day=today.day)
            if chair
            else []
        )
    view = HomeView(
        zone=meeting.timezone,
        today=today,
        thread_url=permalink(client, today.channel_id, today.thread_ts),
        weeks=tuple(weeks),
        updates=tuple(updates),
        guidance=_guidance_state(deps, client, user_id),
        roll_call=tuple(lines) if chair else None,
        notice=notice,
    )
    return build_home_view(view)


def publish_home(deps: Deps, client: WebClient, user_id: str, *, notice: str | None = None) -> None:
    """Publish (or refresh) a person's App Home."""
    view = home_view(deps, client, user_id, now=deps.clock(), notice=notice)
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        log.warning("could not publish the App Home of %s: %s", user_id, slack_error(exc))


def handle_app_home_opened_event(
    event: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Show the person their App Home (the Messages tab fires this event too: skip it)."""
    if event.get("tab") != "home" or not event.get("user"):
        return
    publish_home(deps_of(context), client, str(event["user"]))


def _open(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
    meeting = deps.settings.meeting
    day = local_date(now, meeting.timezone)
    with session_scope(deps.engine) as session:
        extra = no_meeting_reason(session=session, day=day, calendar=meeting.bank_holidays)
    kind = "extra" if extra else "scheduled"
    result = open_briefing_now(deps, client, now=now, opened_by=user, kind=kind)
    if result.status is Opened.FAILED:
        return f"Could not post the briefing (Slack said `{result.error}`). Nothing was opened."
    if result.status is Opened.IN_PROGRESS or result.briefing is None:
        return "Today's briefing is being opened right now; it will appear in a moment."
    link = permalink(client, result.briefing.channel_id, result.briefing.thread_ts)
    if result.status is Opened.ALREADY_OPEN:
        return build_already_open(day, link)
    return build_opened(day, link)


def _close(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
    result = close_briefing_now(deps, client, now=now, closed_by=user)
    if result.status is Closed.NOT_OPEN or result.briefing is None:
        return "There is no open briefing to close. Nothing was changed."
    return build_closed(result.briefing.meeting_date)


def _remind(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
    from bot.reminders import Reminded, send_reminder  # the attendance feature's module

    result = send_reminder(deps, client, now=now, requested_by=user)
    replies = {
        Reminded.SENT: f"Reminder posted in the thread, naming {', '.join(result.missing)}.",
        Reminded.NO_BRIEFING: "There is no open briefing, so there is no one to remind.",
        Reminded.NOTHING_MISSING: "Every invited body has answered: no reminder was sent.",
        Reminded.ALREADY_SENT: "A reminder was already posted in today's thread.",
        Reminded.FAILED: f"Slack refused the reminder (`{result.error}`); nothing was posted.",
    }
    return replies.get(result.status, "No reminder was sent.")


def _export(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
    from bot.export import Exported, post_weekly_export  # the attendance feature's module

    result = post_weekly_export(deps, client, now=now, requested_by=user)
    replies = {
        Exported.POSTED: f"Posted {result.filename} to the briefing channel.",
        Exported.ALREADY_POSTED: f"{result.filename} was already posted to the channel.",
        Exported.FAILED: f"Slack refused the spreadsheet (`{result.error}`); nothing was posted.",
    }
    return replies.get(result.status, "No spreadsheet was posted.")


def _chair_button(
    body: dict[str, Any], context: BoltContext, client: WebClient, run: ChairAction
) -> None:
    """Run a chair's button (refusing anyone else, whatever the payload says), then refresh."""
    deps, user = deps_of(context), str(body["user"]["id"])
    if not deps.chairs.is_chair(user, client):
        log.warning("refused App Home button %s from non-chair %s", run.__name__, user)
        publish_home(deps, client, user, notice=REFUSED)
        return
    try:
        notice = run(deps, client, user, deps.clock())
    except Exception:
        log.exception("App Home button %s failed for %s", run.__name__, user)
        notice = "Sorry, that failed on our side and may not have finished. Please try again."
    publish_home(deps, client, user, notice=notice)


def handle_home_open_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Chair: open today's briefing."""
    ack()
    _chair_button(body, context, client, _open)


def handle_home_close_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Chair: close the open briefing."""
    ack()
    _chair_button(body, context, client, _close)


def handle_home_remind_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Chair: remind the bodies that have not answered the roll call."""
    ack()
    _chair_button(body, context, client, _remind)


def handle_home_export_action(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Chair: post this week's attendance spreadsheet."""
    ack()
    _chair_button(body, context, client, _export)


def register(app: App) -> None:
    """Wire the App Home event and the chair's buttons."""
    app.event("app_home_opened")(deferred(handle_app_home_opened_event))
    app.action(ActionId.HOME_OPEN)(deferred(handle_home_open_action))
    app.action(ActionId.HOME_CLOSE)(deferred(handle_home_close_action))
    app.action(ActionId.HOME_REMIND)(deferred(handle_home_remind_action))
    app.action(ActionId.HOME_EXPORT)(deferred(handle_home_export_action))
