"""What every use case needs: settings, the database, the clock and the chairs' directory."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from config.settings import Settings
from service.clock import Clock
from service.pacer import HeaderPacer
from slack_adapter.chairs import ChairDirectory
from slack_adapter.coalesce import Coalescer


def instance_name() -> str:
    """A name for this process, recorded on claims (host:pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Deps:
    """Settings, database, clock and directories of one running bot."""

    settings: Settings
    engine: Engine
    clock: Clock
    chairs: ChairDirectory
    instance: str = field(default_factory=instance_name)
    header_refresh: Coalescer = field(default_factory=Coalescer)  # service/header.py
    header_pace: HeaderPacer = field(default_factory=HeaderPacer)  # service/header.py

    @property
    def channel(self) -> str:
        """The briefing channel id."""
        assert self.settings.channel, "DBM_CHANNEL is required"
        return self.settings.channel
