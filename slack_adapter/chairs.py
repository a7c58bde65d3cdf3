"""Who is a chair: the configured user ids, plus members of the chairs' user group."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class ChairDirectory:
    """Answers is_chair, caching the user group's members for a few minutes."""

    def __init__(self, users: tuple[str, ...], usergroup: str | None, ttl: float = 300.0) -> None:
        self._users = frozenset(users)
        self._usergroup = usergroup
        self._ttl = ttl
        self._cached: frozenset[str] = frozenset()
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

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
            if time.monotonic() - self._fetched_at < self._ttl:
                return self._cached
            try:
                response = client.usergroups_users_list(usergroup=self._usergroup)
                self._cached = frozenset(response.get("users") or [])
            except SlackApiError as exc:
                log.warning("could not read the chairs' user group %s: %s", self._usergroup, exc)
            self._fetched_at = time.monotonic()
            return self._cached
