"""Settings: the only reader of the environment. Built once at start-up, frozen, fails fast.

Why not pydantic-settings (tried for issue 15): its own messages are several lines with no fix
(PORT=eighty gives four lines ending in a link to pydantic's site), so keeping every message one
line naming the setting and the fix needs a check in our words on every field plus an adapter
from ValidationError, which is this module again with a layer on top; `Settings` and
`MeetingSettings` are frozen dataclasses that the code and tests change with
`dataclasses.replace`, which a BaseSettings model does not support; `load_settings(environ)`
takes a mapping, where BaseSettings reads os.environ; and importing it costs about 80 ms of
start-up beyond pydantic's own (python -X importtime).

To add a setting: a field with its default on MeetingSettings (or Settings), and one line
reading it in load_meeting (or load_settings) with the checker for its kind (_clock_time,
_whole, ...), which names the file, table, key and fix when it is wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config.errors import ConfigError
from config.files import BodySeed, Threat, load_bodies, load_threats, read_toml

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "sqlite:///dbm.sqlite3"
CALENDARS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
USERGROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
# The protective markings a chat workspace may carry (OFFICIAL at most; see DOMAIN.md).
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
# A marking may carry a descriptor after it, as the scheme allows ("OFFICIAL-SENSITIVE PERSONAL").
MARKING = re.compile(r"OFFICIAL(?:-SENSITIVE)?(?: [A-Z0-9][A-Z0-9 /-]{0,40})?")


@dataclass(frozen=True)
class MeetingSettings:
    """When and how the meeting runs."""

    open_time: time = time(8, 30)
    call_time: time = time(9, 30)
    close_time: time = time(11, 0)
    timezone: ZoneInfo = ZoneInfo("Europe/London")
    bank_holidays: str = "england-and-wales"
    lookback_hours: int = 24
    lookahead_hours: int = 72
    reminder_minutes: int = 15
    grace_minutes: int = 120
    chairs: tuple[str, ...] = ()
    chair_usergroup: str | None = None
    export_day: str = "fri"
    export_time: time = time(12, 0)
    retention_days: int = 90
    marking: str = "OFFICIAL-SENSITIVE"
    # How the meeting's urgent demands age (issue 13): a demand not renewed at this many
    # briefings in a row lapses; the header lists at most `header_demands` of them.
    demand_lapse_briefings: int = 3
    header_demands: int = 5
    review_rate: int = 50  # per cent: a body attending less is flagged in the membership review


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to run, read once at start-up."""

    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    database_url: str
    channel: str | None
    slack_api_url: str | None
    port: int
    config_dir: Path
    meeting: MeetingSettings
    bodies: tuple[BodySeed, ...]
    threats: tuple[Threat, ...]
    log_level: str = "INFO"
    # How long a clean stop (SIGTERM, SIGINT) waits for requests and work in flight.
    stop_seconds: float = 10.0
    # Socket Mode: serve the health checks on this port (None: no HTTP port at all).
    health_port: int | None = None
    log_format: str = "text"  # or "json": one JSON object a line (bot/json_logs.py)

    @property
    def socket_mode(self) -> bool:
        """True when an app-level token is set: the bot connects out over Socket Mode."""
        return bool(self.app_token)


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def _clock_time(path: Path, section: str, key: str, raw: Any, default: time) -> time:
    if raw is None:
        return default
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", str(raw).strip())
    if not isinstance(raw, str) or not match:
        raise ConfigError(f'{path}: [{section}] {key} = {raw!r} must be a time like "08:30"')
    return time(int(match[1]), int(match[2]))


def _whole(path: Path, section: str, key: str, raw: Any, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise ConfigError(
            f"{path}: [{section}] {key} = {raw!r} must be a whole number from {low} to {high}"
        )
    return raw


def _zone(path: Path, raw: Any) -> ZoneInfo:
    if raw is None:
        return ZoneInfo("Europe/London")
    try:
        return ZoneInfo(str(raw))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f'{path}: [meeting] timezone = {raw!r} is not a time zone (use "Europe/London")'
        ) from None


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _chairs(path: Path, table: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
    users = table.get("users", [])
    if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
        raise ConfigError(f"{path}: [chairs] users must be a list of Slack user ids")
    for user in users:
        if not USER_ID.match(user):
            raise ConfigError(f"{path}: [chairs] users: {user!r} is not a Slack user id (U...)")
    group = table.get("usergroup", "") or None
    if group is not None and (not isinstance(group, str) or not USERGROUP_ID.match(group)):
        raise ConfigError(f"{path}: [chairs] usergroup = {group!r} is not a user group id (S...)")
    return tuple(users), group


def _calendar(path: Path, raw: Any) -> str:
    value = "england-and-wales" if raw is None else raw
    if not isinstance(value, str) or value not in CALENDARS:
        names = ", ".join(f'"{c}"' for c in CALENDARS)
        raise ConfigError(f"{path}: [meeting] bank_holidays = {raw!r} must be one of {names}")
    return str(value)


def _weekday(path: Path, raw: Any) -> str:
    value = "fri" if raw is None else str(raw).lower()[:3]
    if value not in WEEKDAYS:
        raise ConfigError(f'{path}: [export] day = {raw!r} must be a day such as "fri"')
    return value


def _marking(path: Path, raw: Any) -> str:
    value = "OFFICIAL-SENSITIVE" if raw is None else raw
    marking = " ".join(value.split()).upper() if isinstance(value, str) else ""
    if not MARKING.fullmatch(marking):
        names = " or ".join(f'"{m}"' for m in MARKINGS)
        raise ConfigError(
            f"{path}: [meeting] marking = {raw!r} must be {names}, with a descriptor after it "
            "if you use one (a chat workspace holds OFFICIAL material at most)"
        )
    return marking


def _demand_settings(path: Path, meeting: dict[str, Any]) -> dict[str, int]:
    """The [meeting] settings of urgent demands: when they lapse, how many the header lists."""
    lapse, shown = meeting.get("demand_lapse_briefings"), meeting.get("header_demands")
    return {
        "demand_lapse_briefings": _whole(
            path, "meeting", "demand_lapse_briefings", lapse, 3, 1, 30
        ),
        "header_demands": _whole(path, "meeting", "header_demands", shown, 5, 0, 10),
    }


def load_meeting(path: Path) -> MeetingSettings:
    """Read meeting settings from meeting.toml."""
    data = read_toml(path)
    meeting, chairs = _table(path, data, "meeting"), _table(path, data, "chairs")
    export, retention = _table(path, data, "export"), _table(path, data, "retention")
    base = MeetingSettings()
    users, group = _chairs(path, chairs)
    settings = MeetingSettings(
        open_time=_clock_time(
            path, "meeting", "open_time", meeting.get("open_time"), base.open_time
        ),
        call_time=_clock_time(
            path, "meeting", "call_time", meeting.get("call_time"), base.call_time
        ),
        close_time=_clock_time(
            path, "meeting", "close_time", meeting.get("close_time"), base.close_time
        ),
        timezone=_zone(path, meeting.get("timezone")),
        bank_holidays=_calendar(path, meeting.get("bank_holidays")),
        lookback_hours=_whole(
            path, "meeting", "lookback_hours", meeting.get("lookback_hours"), 24, 1, 24 * 14
        ),
        lookahead_hours=_whole(
            path, "meeting", "lookahead_hours", meeting.get("lookahead_hours"), 72, 1, 24 * 14
        ),
        reminder_minutes=_whole(
            path, "meeting", "reminder_minutes", meeting.get("reminder_minutes"), 15, 0, 600
        ),
        grace_minutes=_whole(
            path, "meeting", "grace_minutes", meeting.get("grace_minutes"), 120, 0, 24 * 60
        ),
        chairs=users,
        chair_usergroup=group,
        export_day=_weekday(path, export.get("day")),
        export_time=_clock_time(path, "export", "time", export.get("time"), base.export_time),
        retention_days=_whole(
            path, "retention", "update_text_days", retention.get("update_text_days"), 90, 1, 3650
        ),
        review_rate=_whole(path, "meeting", "review_rate", meeting.get("review_rate"), 50, 0, 100),
        marking=_marking(path, meeting.get("marking")),
        **_demand_settings(path, meeting),
    )
    if not settings.open_time < settings.close_time:
        raise ConfigError(f"{path}: [meeting] close_time must be later than open_time")
    return settings


def _chair_overrides(environ: Mapping[str, str], meeting: MeetingSettings) -> MeetingSettings:
    raw = _env(environ, "DBM_CHAIRS")
    if raw is None:
        return meeting
    users = tuple(u.strip() for u in raw.split(",") if u.strip())
    for user in users:
        if not USER_ID.match(user):
            raise ConfigError(
                f"DBM_CHAIRS: {user!r} is not a Slack user id; "
                "give ids like U0123ABCD, separated by commas"
            )
    return replace(meeting, chairs=users)


def _port(environ: Mapping[str, str]) -> int:
    raw = _env(environ, "PORT") or "3000"
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT={raw!r} is not a port number; set PORT to e.g. 3000")
    return int(raw)


def _api_url(environ: Mapping[str, str]) -> str | None:
    url = _env(environ, "SLACK_API_URL")
    if url is not None and (not re.match(r"^https?://", url) or not url.endswith("/api/")):
        raise ConfigError(
            f"SLACK_API_URL={url!r} must be an http(s) URL ending in /api/, "
            "e.g. https://slack.com/api/"
        )
    return url


def _channel(environ: Mapping[str, str]) -> str | None:
    channel = _env(environ, "DBM_CHANNEL")
    if channel is not None and not CHANNEL_ID.match(channel):
        raise ConfigError(
            f"DBM_CHANNEL={channel!r} is not a channel id; copy the id (C...) from the "
            "channel's details in Slack"
        )
    return channel


def _stop_seconds(environ: Mapping[str, str]) -> float:
    raw = _env(environ, "DBM_STOP_SECONDS")
    if raw is None:
        return 10.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise ConfigError(
            f"DBM_STOP_SECONDS={raw!r} must be a number of seconds from 1 to 600 "
            "(how long a stop waits for work in flight; default 10)"
        )
    return seconds


def _health_port(environ: Mapping[str, str]) -> int | None:
    raw = _env(environ, "DBM_HEALTH_PORT")
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(
            f"DBM_HEALTH_PORT={raw!r} is not a port number; set it to e.g. 8080, or leave it "
            "unset for no health port"
        )
    return int(raw)


def _log_format(environ: Mapping[str, str]) -> str:
    value = (_env(environ, "LOG_FORMAT") or "text").lower()
    if value not in ("text", "json"):
        raise ConfigError(
            f"LOG_FORMAT={_env(environ, 'LOG_FORMAT')!r} must be text or json "
            "(json: one JSON object a line, for a log collector)"
        )
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the environment and the config files; raise ConfigError if bad."""
    env = os.environ if environ is None else environ
    config_dir = Path(_env(env, "DBM_CONFIG_DIR") or CONFIG_DIR)
    meeting = _chair_overrides(env, load_meeting(config_dir / "meeting.toml"))
    return Settings(
        bot_token=_env(env, "SLACK_BOT_TOKEN"),
        signing_secret=_env(env, "SLACK_SIGNING_SECRET"),
        app_token=_env(env, "SLACK_APP_TOKEN"),
        database_url=_env(env, "DATABASE_URL") or DEFAULT_DATABASE_URL,
        channel=_channel(env),
        slack_api_url=_api_url(env),
        port=_port(env),
        config_dir=config_dir,
        meeting=meeting,
        bodies=load_bodies(config_dir / "bodies.toml"),
        threats=load_threats(config_dir / "threats.toml"),
        log_level=(_env(env, "LOG_LEVEL") or "INFO").upper(),
        stop_seconds=_stop_seconds(env),
        health_port=_health_port(env),
        log_format=_log_format(env),
    )


def bot_token_problem(token: str | None) -> str | None:
    """Why SLACK_BOT_TOKEN cannot work (not set, or not a bot token), or None if it may."""
    fix = "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page"
    if not token:
        return f"SLACK_BOT_TOKEN is not set: {fix}"
    if not token.startswith("xoxb-"):
        return f"SLACK_BOT_TOKEN does not start with xoxb-, so it is not a bot token: {fix}"
    return None


def require_slack(settings: Settings, *, http: bool | None = None) -> None:
    """Check the settings needed to connect to Slack are present; raise ConfigError if not."""
    problem = bot_token_problem(settings.bot_token)
    if problem is not None:
        raise ConfigError(problem)
    if settings.app_token and not settings.app_token.startswith("xapp-"):
        raise ConfigError(
            "SLACK_APP_TOKEN must start with xapp-: create an app-level token with the "
            "connections:write scope on the app's Basic Information page"
        )
    needs_secret = not settings.socket_mode if http is None else http
    if needs_secret and not settings.signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from the app's Basic "
            "Information page (or set SLACK_APP_TOKEN to use Socket Mode)"
        )
    if not settings.channel:
        raise ConfigError(
            "DBM_CHANNEL is not set: set it to the id (C...) of the private briefing channel"
        )
