"""The App Home tab: each person's view on opening it, and the chair's buttons there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.home import build_home_view
from blocks.ids import ActionId
from handlers.attendance import action_key
from handlers.briefing import close_answer, open_answer
from handlers.listen import Listeners, Work
from service.deps import Deps
from service.export import Exported, post_weekly_export
from service.home import home_of
from service.reminders import Reminded, send_reminder
from slack_adapter.client import slack_error
from slack_adapter.intake import Received

log = logging.getLogger(__name__)

REFUSED = "Only the meeting's chairs can use those buttons. Nothing was changed."
ChairAction = Callable[[Deps, WebClient, str, datetime], str]


def publish_home(deps: Deps, client: WebClient, user_id: str, *, notice: str | None = None) -> None:
    """Publish (or refresh) a person's App Home."""
    view = build_home_view(home_of(deps, client, user_id, now=deps.clock(), notice=notice))
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        log.warning("could not publish the App Home of %s: %s", user_id, slack_error(exc))


def handle_app_home_opened(deps: Deps, client: WebClient, received: Received) -> None:
    """Show the person their App Home (the Messages tab fires this event too: skip it)."""
    event = received.payload.get("event") or {}
    if event.get("tab") != "home" or not event.get("user"):
        return
    publish_home(deps, client, str(event["user"]))


def _open(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
    return open_answer(deps, client, by=user, now=now)


def _close(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
    return close_answer(deps, client, by=user, now=now)


def _remind(deps: Deps, client: WebClient, user: str, now: datetime) -> str:
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
    result = post_weekly_export(deps, client, now=now, requested_by=user)
    replies = {
        Exported.POSTED: f"Posted {result.filename} to the briefing channel.",
        Exported.ALREADY_POSTED: f"{result.filename} was already posted to the channel.",
        Exported.FAILED: f"Slack refused the spreadsheet (`{result.error}`); nothing was posted.",
    }
    return replies.get(result.status, "No spreadsheet was posted.")


def _chair_button(run: ChairAction) -> Work:
    def handle_chair_button(deps: Deps, client: WebClient, received: Received) -> None:
        """Run a chair's button (refusing anyone else, whatever the payload says), then refresh."""
        user = str((received.payload.get("user") or {}).get("id", ""))
        if not deps.chairs.is_chair(user, client):
            log.warning("refused App Home button %s from non-chair %s", run.__name__, user)
            publish_home(deps, client, user, notice=REFUSED)
            return
        try:
            notice = run(deps, client, user, received.received_at)
        except Exception as exc:
            log.error("App Home button %s failed for %s: %s", run.__name__, user, _name(exc))
            notice = "Sorry, that failed on our side and may not have finished. Please try again."
        publish_home(deps, client, user, notice=notice)

    return handle_chair_button


def register(app: App, listeners: Listeners) -> None:
    """Wire the App Home event and the chair's buttons."""
    listeners.durable(
        app.event("app_home_opened"), "home_opened", handle_app_home_opened, lambda body: None
    )
    for action_id, name, run in (
        (ActionId.HOME_OPEN, "home_open", _open),
        (ActionId.HOME_CLOSE, "home_close", _close),
        (ActionId.HOME_REMIND, "home_remind", _remind),
        (ActionId.HOME_EXPORT, "home_export", _export),
    ):
        listeners.durable(app.action(action_id.value), name, _chair_button(run), action_key)


def _name(exc: BaseException) -> str:
    return exc.__class__.__name__
