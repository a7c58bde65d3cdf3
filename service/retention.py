"""Retention: old update text goes, the record stays (the daily job and the purge command)."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from config.settings import Settings
from meeting.retention import PurgePlan, plan_purge, purge
from service.deps import Deps
from storage.db import session_scope

log = logging.getLogger(__name__)


def run_purge(settings: Settings, engine: Engine, now: datetime, *, dry_run: bool) -> PurgePlan:
    """Plan (dry run) or carry out the purge at `now`."""
    days = settings.meeting.retention_days
    with session_scope(engine) as session:
        if dry_run:
            return plan_purge(session=session, now=now, retention_days=days)
        return purge(session=session, now=now, retention_days=days)


def retention_job(deps: Deps, client: WebClient) -> None:
    """The daily job: purge old update text and old event ids (safe to run twice)."""
    plan = run_purge(deps.settings, deps.engine, deps.clock(), dry_run=False)
    log.info(
        "retention: removed the text of %d updates older than %d days and %d old event ids",
        len(plan.update_ids),
        deps.settings.meeting.retention_days,
        plan.slack_events,
    )
