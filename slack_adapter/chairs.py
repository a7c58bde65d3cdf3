"""Who is a chair: the configured user ids, plus members of the chairs' user group."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class ChairDirectory:
    """Answers is_chair, caching the user group's members for a few minutes."""

    def __init__(
        self,
        users: tuple[str, ...],
        usergroup: str | None,
        ttl: float = 300.0,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._users = frozenset(users)
        self._usergroup = usergroup
        self._members: TTLCache[str, frozenset[str]] = TTLCache(maxsize=1, ttl=ttl, timer=timer)
        self._last_known: frozenset[str] = frozenset()
        self._lock = threading.Lock()  # one fetch at a time; cachetools caches are not thread-safe

    def is_chair(self, user_id: str, client: WebClient) -> bool:
        """True if the user is a configured chair or in the chairs' user group."""
        return user_id in self._users or user_id in self._group_members(client)

    def chair_ids(self, client: WebClient) -> frozenset[str]:
        """Every chair's user id."""
        return self._users | self._group_members(client)

    def _group_members(self, client: WebClient) -> frozenset[str]:
        if not self._usergroup:
            return frozenset()
        with self._lock:
            members = self._members.get(self._usergroup)
            if members is None:
                members = self._fetch(client, self._usergroup)
                self._members[self._usergroup] = members
            return members

    def _fetch(self, client: WebClient, usergroup: str) -> frozenset[str]:
        """The group's members from Slack; the last known ones if Slack will not say."""
        try:
            response = client.usergroups_users_list(usergroup=usergroup)
            self._last_known = frozenset(response.get("users") or [])
        except SlackApiError as exc:
            log.warning("could not read the chairs' user group %s: %s", usergroup, exc)
        return self._last_known
