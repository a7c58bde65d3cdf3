"""`python -m bot run`: check everything, then serve Slack in Socket Mode or HTTP mode."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app, deps_for, freeze_start_up
from bot.health import SlackAuthCache, health_report
from bot.scheduler import build_scheduler
from bot.server import make_wsgi, serve
from config.errors import ConfigError
from config.settings import Settings, require_slack
from meeting.calendar import local_date
from meeting.roster import seed_bodies
from service.clock import system_clock
from service.export import catch_up_export
from service.jobs import catch_up_open
from service.reminders import catch_up_reminder
from slack_adapter.client import explain, make_client, slack_error
from storage.db import make_engine, session_scope
from storage.migrate import current_revision, head_revision, is_current

log = logging.getLogger(__name__)


def open_database(settings: Settings) -> Engine:
    """An engine for DATABASE_URL, checked reachable; ConfigError if not."""
    engine = make_engine(settings.database_url)
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).splitlines() or ["unknown error"])[0]
        raise ConfigError(f"DATABASE_URL: cannot connect to the database ({reason})") from None
    return engine


def check_migrated(engine: Engine) -> None:
    """Refuse to run on a database whose schema is not the code's."""
    if not is_current(engine):
        raise ConfigError(
            f"the database is at schema {current_revision(engine) or 'none'} but this version "
            f"needs {head_revision(engine)}: run `python -m bot migrate` first"
        )


def seed_roster(settings: Settings, engine: Engine, now: datetime | None = None) -> int:
    """Add bodies from config/bodies.toml that the database does not have yet."""
    now = now or system_clock()
    with session_scope(engine) as session:
        return seed_bodies(
            session=session,
            seeds=settings.bodies,
            today=local_date(now, settings.meeting.timezone),
            now=now,
        )


def check_slack(client: WebClient) -> None:
    """auth.test, with a clear error if the token is wrong."""
    try:
        client.auth_test()
    except SlackApiError as exc:
        error = slack_error(exc)
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({error}): {explain(error)}"
        ) from None


def _socket_mode(settings: Settings, mode: str) -> bool:
    if mode == "socket" and not settings.app_token:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set but Socket Mode was asked for: create an app-level token "
            "with connections:write on the app's Basic Information page"
        )
    return mode == "socket" or (mode == "auto" and settings.socket_mode)


def run(settings: Settings, mode: str = "auto") -> int:
    """Start the bot and serve until interrupted (mode: auto, socket or http)."""
    socket = _socket_mode(settings, mode)
    if not socket:
        settings = replace(settings, app_token=None)  # HTTP mode always verifies signatures
    require_slack(settings, http=not socket)
    engine = open_database(settings)
    check_migrated(engine)
    seed_roster(settings, engine)
    client = make_client(settings)
    check_slack(client)
    app = create_app(settings, client=client, engine=engine)
    deps = deps_for(app)
    scheduler = build_scheduler(deps=deps, client=client)
    scheduler.start()
    catch_up_open(deps, client)
    catch_up_reminder(deps, client)
    catch_up_export(deps, client)
    freeze_start_up()
    if socket:
        from slack_adapter.socket_mode import serve_socket_mode

        log.info("connecting to Slack in Socket Mode")
        assert settings.app_token is not None
        serve_socket_mode(app, settings.app_token)
    else:
        auth = SlackAuthCache()
        wsgi = make_wsgi(app, lambda: health_report(deps, client, scheduler, auth), deps.gate)
        log.info("serving Slack requests on port %d at /slack/events", settings.port)
        serve(wsgi, host="0.0.0.0", port=settings.port)
    scheduler.shutdown(wait=False)
    return 0
