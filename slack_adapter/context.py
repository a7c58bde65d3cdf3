"""What the adapter's Slack-side checks need of the running bot (the use cases' Deps has it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy.engine import Engine

from config.settings import Settings
from slack_adapter.chairs import ChairDirectory


class BotContext(Protocol):
    """Settings, database, clock, chairs and channel of one running bot."""

    @property
    def settings(self) -> Settings:
        """The bot's settings."""

    @property
    def engine(self) -> Engine:
        """The bot's database."""

    @property
    def clock(self) -> Callable[[], datetime]:
        """The bot's clock."""

    @property
    def chairs(self) -> ChairDirectory:
        """Who chairs the meeting."""

    @property
    def channel(self) -> str:
        """The briefing channel."""
