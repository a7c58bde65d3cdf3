"""Retention: update text older than the period goes; rows, attendance and counts stay."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.scheduler import job_specs
from config.settings import Settings
from meeting.retention import REQUEST_DAYS, plan_purge, purge
from service.retention import retention_job
from storage.db import session_scope
from storage.models import Attendance, Body, Briefing, Intake, Update
from tests.rig.harness import BotUnderTest

NOW = datetime(2026, 11, 23, 3, 15, tzinfo=UTC)
SECRETISH = "surveillance of the lock-up on Mill Lane"


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


def add_briefing(session: Session, day: date) -> Briefing:
    at = datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC)
    briefing = Briefing(
        channel_id="C0DBM",
        meeting_date=day,
        status="closed",
        events_from=at - timedelta(hours=24),
        plans_until=at + timedelta(hours=72),
        claimed_at=at,
        claimed_by="test",
    )
    session.add(briefing)
    session.flush()
    return briefing


def add_body(session: Session, code: str = "NCA") -> Body:
    body = Body(code=code, name=f"{code} body", created_at=NOW - timedelta(days=400))
    session.add(body)
    session.flush()
    return body


def add_update(session: Session, age: timedelta, key: str) -> Update:
    created = NOW - age
    briefing = add_briefing(session, created.date())
    body = session.exec(select(Body)).first() or add_body(session)
    assert briefing.id is not None and body.id is not None
    update = Update(
        dedupe_key=key,
        briefing_id=briefing.id,
        body_id=body.id,
        author_id="UALICE",
        kind="event",
        threats=["FIREARMS"],
        summary=SECRETISH,
        location="Leeds",
        source="modal",
        channel_id="C0DBM",
        created_at=created,
        updated_at=created,
    )
    session.add(update)
    session.add(
        Attendance(
            briefing_id=briefing.id,
            body_id=body.id,
            state="present",
            source="update",
            recorded_by="UALICE",
            recorded_at=created,
        )
    )
    session.flush()
    return update


def add_request(session: Session, key: str, age: timedelta, *, done: bool = True) -> None:
    at = NOW - age
    session.add(
        Intake(key=key, work="message", payload="{}", received_at=at, done_at=at if done else None)
    )
    session.flush()


def test_text_older_than_the_period_goes_and_the_record_stays(session: Session) -> None:
    old = add_update(session, timedelta(days=91), "old")
    recent = add_update(session, timedelta(days=89), "recent")
    plan = purge(session=session, now=NOW, retention_days=90)
    assert plan.update_ids == (old.id,)
    session.expire_all()
    purged, kept = session.get(Update, old.id), session.get(Update, recent.id)
    assert purged is not None and kept is not None
    assert (purged.summary, purged.location, purged.text_purged_at) == (None, None, NOW)
    assert (purged.kind, purged.threats, purged.author_id, purged.status) == (
        "event",
        ["FIREARMS"],
        "UALICE",
        "active",
    )
    assert kept.summary == SECRETISH and kept.text_purged_at is None
    assert session.exec(select(func.count()).select_from(Update)).one() == 2
    assert session.exec(select(func.count()).select_from(Attendance)).one() == 2


def test_a_dry_run_changes_nothing_and_a_second_purge_finds_nothing(session: Session) -> None:
    old = add_update(session, timedelta(days=120), "old")
    planned = plan_purge(session=session, now=NOW, retention_days=90)
    assert planned.update_ids == (old.id,)
    session.expire_all()
    again = session.get(Update, old.id)
    assert again is not None and again.summary == SECRETISH
    assert purge(session=session, now=NOW, retention_days=90).update_ids == (old.id,)
    assert purge(session=session, now=NOW + timedelta(days=1), retention_days=90).update_ids == ()


def test_the_period_is_configurable(session: Session) -> None:
    month_old = add_update(session, timedelta(days=31), "month")
    assert plan_purge(session=session, now=NOW, retention_days=90).update_ids == ()
    assert plan_purge(session=session, now=NOW, retention_days=30).update_ids == (month_old.id,)


def test_old_requests_whose_work_is_done_are_pruned_and_unfinished_ones_kept(
    session: Session,
) -> None:
    add_request(session, "reply:old", timedelta(days=REQUEST_DAYS, seconds=1))
    add_request(session, "reply:new", timedelta(days=REQUEST_DAYS) - timedelta(seconds=1))
    add_request(session, "reply:unfinished", timedelta(days=30), done=False)
    assert purge(session=session, now=NOW, retention_days=90).requests == 1
    remaining = session.exec(select(Intake.key).order_by(col(Intake.key))).all()
    assert list(remaining) == ["reply:new", "reply:unfinished"]


def test_the_daily_job_purges_and_logs_counts_not_text(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    with bot.session() as s:
        old = add_update(s, timedelta(days=200), "old")
        add_request(s, "reply:old", timedelta(days=10))
    with caplog.at_level(logging.INFO):
        bot.run_job(retention_job, NOW)
    with bot.session() as s:
        row = s.get(Update, old.id)
        assert row is not None and row.summary is None and row.text_purged_at == NOW
        assert s.exec(select(Intake)).all() == []
    lines = [r.getMessage() for r in caplog.records if r.name == "service.retention"]
    assert lines == [
        "retention: removed the text of 1 updates older than 90 days and 1 old Slack requests"
    ]
    assert all(SECRETISH not in r.getMessage() for r in caplog.records)


def test_retention_is_a_daily_scheduled_job(settings: Settings) -> None:
    (spec,) = [s for s in job_specs(settings) if s.id == "retention"]
    saturday = spec.trigger.get_next_fire_time(None, datetime(2026, 11, 27, 12, tzinfo=UTC))
    assert saturday == datetime(2026, 11, 28, 3, 15, tzinfo=UTC)
    assert spec.run is retention_job


def test_audit_entries_lose_the_quoted_text_but_keep_who_did_what(session: Session) -> None:
    from meeting.audit import record
    from storage.models import AuditEntry

    old = add_update(session, timedelta(days=120), "reply:C0DBM:1")
    snapshot = {"summary": SECRETISH, "location": "Mill Lane", "kind": "event"}
    record(
        session=session,
        now=NOW - timedelta(days=120),
        actor="UALICE",
        action="update.create",
        subject=f"update:{old.id}",
        after=snapshot,
    )
    recent = record(
        session=session,
        now=NOW - timedelta(days=2),
        actor="UALICE",
        action="update.edit",
        subject=f"update:{old.id}",
        before=snapshot,
        after=snapshot,
    )
    session.flush()
    planned = plan_purge(session=session, now=NOW, retention_days=90)
    assert len(planned.audit_ids) == 1 and recent not in planned.audit_ids
    purge(session=session, now=NOW, retention_days=90)
    entries = list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))
    assert SECRETISH not in (entries[0].after or "") and "Mill Lane" not in (entries[0].after or "")
    assert '"kind": "event"' in (entries[0].after or "") and entries[0].actor == "UALICE"
    assert SECRETISH in (entries[1].after or "")  # within the retention period: kept
    assert plan_purge(session=session, now=NOW, retention_days=90).audit_ids == ()
