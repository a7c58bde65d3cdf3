"""What every handler and job needs, handed to Bolt listeners through the context."""

from __future__ import annotations

import os
import socket
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext
from sqlalchemy.engine import Engine

from bot.gate import AckGate
from config.settings import Settings
from service.clock import Clock
from slack_adapter.chairs import ChairDirectory
from slack_adapter.coalesce import Coalescer

CONTEXT_KEY = "dbm_deps"


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
    background: Executor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=4))
    gate: AckGate = field(default_factory=AckGate)
    instance: str = field(default_factory=instance_name)
    header_refresh: Coalescer = field(default_factory=Coalescer)  # bot/opening.py

    @property
    def channel(self) -> str:
        """The briefing channel id."""
        assert self.settings.channel, "DBM_CHANNEL is required"
        return self.settings.channel


def deps_of(context: BoltContext | dict[str, Any]) -> Deps:
    """The Deps put in a Bolt listener's context by the app's middleware."""
    deps = context[CONTEXT_KEY]
    assert isinstance(deps, Deps)
    return deps
