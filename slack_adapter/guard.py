"""Where the bot posts: only the configured private channel, never one shared with outsiders."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from meeting.calendar import local_date
from meeting.roster import invited_bodies
from slack_adapter.alerts import can_message, notify_chairs
from slack_adapter.client import explain, slack_error
from slack_adapter.context import BotContext
from storage.db import session_scope

log = logging.getLogger(__name__)

CACHE_SECONDS = 60.0
CHANNEL_REFUSED = "channel_refused"  # the error an opening reports when this guard said no


@dataclass(frozen=True)
class _Verdict:
    reason: str | None
    error: str | None  # Slack's error code when Slack refused to describe the channel


# Each client's verdicts, by channel, for CACHE_SECONDS; guarded by _LOCK (cachetools caches are
# not thread-safe), which also keeps two jobs from asking Slack about the channel at once.
_CACHE: WeakKeyDictionary[WebClient, TTLCache[str, _Verdict]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def allowed_teams(deps: BotContext, own_team: str, now: datetime) -> frozenset[str]:
    """The workspace's own team and the Slack Connect teams of the bodies invited on `now`'s day."""
    day = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        bodies = invited_bodies(session=session, day=day)
    teams = {own_team}
    for body in bodies:
        teams.update(body.external_team_ids)
    return frozenset(teams)


def _outside_teams(
    channel: dict[str, Any], allowed: frozenset[str], own_team: str
) -> set[str] | None:
    """Teams sharing the channel that are not allowed; None if Slack does not say who they are."""
    teams = set(channel.get("connected_team_ids") or []) | set(channel.get("shared_team_ids") or [])
    teams |= set(channel.get("pending_connected_team_ids") or [])
    if channel.get("is_ext_shared") and teams <= {own_team}:
        return None
    return teams - allowed


def channel_problem(
    deps: BotContext, client: WebClient, channel_id: str, now: datetime
) -> tuple[str | None, str | None]:
    """Ask Slack about the channel: (None, None) if safe for briefing content, else (why, error)."""
    if channel_id != deps.channel:
        return f"{channel_id} is not the configured briefing channel {deps.channel}", None
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
        own_team = str(client.auth_test()["team_id"])
    except SlackApiError as exc:
        error = slack_error(exc)
        return f"Slack would not describe the channel ({error}: {explain(error)})", error
    return _shape_problem(channel, allowed_teams(deps, own_team, now), own_team), None


def _shape_problem(channel: dict[str, Any], allowed: frozenset[str], own_team: str) -> str | None:
    if not (channel.get("is_private") or channel.get("is_group")):
        return "the channel is public; briefing content goes only to a private channel"
    if channel.get("is_archived"):
        return "the channel is archived"
    outside = _outside_teams(channel, allowed, own_team)
    if outside is None:
        return "the channel is shared with other organisations that Slack does not name"
    if outside:
        teams = ", ".join(sorted(outside))
        return f"the channel is shared with organisations that are not invited bodies ({teams})"
    return None


def _verdicts(client: WebClient, timer: Callable[[], float]) -> TTLCache[str, _Verdict]:
    """The client's verdict cache (made on first use, with that call's clock)."""
    cache = _CACHE.get(client)
    if cache is None:
        cache = _CACHE[client] = TTLCache(maxsize=16, ttl=CACHE_SECONDS, timer=timer)
    return cache


def ensure_channel_safe(
    deps: BotContext,
    client: WebClient,
    channel_id: str | None = None,
    *,
    now: datetime | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> str | None:
    """None if briefing content may be posted to the channel; else the reason (chairs are told).

    `monotonic` is the clock of the client's verdict cache, set by the first call (tests inject
    one)."""
    channel_id = channel_id or deps.channel
    now = now or deps.clock()
    with _LOCK:
        verdicts = _verdicts(client, monotonic)
        verdict = verdicts.get(channel_id)
        if verdict is not None:
            return verdict.reason
        reason, error = channel_problem(deps, client, channel_id, now)
        verdicts[channel_id] = _Verdict(reason, error)
    if reason is not None:
        log.error("refused to post briefing content in %s: %s", channel_id, reason)
        if can_message(error):
            notify_chairs(
                deps,
                client,
                f":no_entry: I did not post briefing content in <#{channel_id}>: {reason}. "
                "Fix the channel (or DBM_CHANNEL); nothing is posted there until then "
                "(`/dbm open` tries today's briefing again).",
            )
    return reason


def forget(client: WebClient) -> None:
    """Drop cached verdicts for a client (after the channel was fixed)."""
    with _LOCK:
        _CACHE.pop(client, None)
