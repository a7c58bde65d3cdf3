"""Retention: old update text goes, the record stays (the daily job and the purge command)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from config.settings import Settings
from meeting.retention import PurgePlan, plan_purge, purge
from service.deps import Deps
from service.record import purge_record_canvases
from storage.db import session_scope

log = logging.getLogger(__name__)


def run_purge(settings: Settings, engine: Engine, now: datetime, *, dry_run: bool) -> PurgePlan:
    """Plan (dry run) or carry out the purge at `now` (the record's old canvases included)."""
    days = settings.meeting.retention_days
    with session_scope(engine) as session:
        if dry_run:
            return plan_purge(session=session, now=now, retention_days=days)
        plan = purge(session=session, now=now, retention_days=days)
    return replace(plan, canvas_ids=tuple(purge_record_canvases(settings, engine, now)))


def retention_job(deps: Deps, client: WebClient) -> None:
    """The daily job: purge old update text and old event ids (safe to run twice)."""
    plan = run_purge(deps.settings, deps.engine, deps.clock(), dry_run=False)
    log.info(
        "retention: removed the text of %d updates older than %d days and %d old Slack requests",
        len(plan.update_ids),
        deps.settings.meeting.retention_days,
        plan.requests,
    )
