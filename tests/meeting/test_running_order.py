"""The running order at 09:30: its order, its agreement with the digest, its Slack limits, and
the digest marking what came after it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from blocks.digest import build_digest_parts
from blocks.home import HomeView, build_home_view
from blocks.running_order import (
    build_running_order_fallback,
    build_running_order_parts,
    running_order_lines,
)
from blocks.text import blocks_to_text
from config.files import BodySeed, load_threats
from config.settings import CONFIG_DIR, MeetingSettings
from meeting.attendance import State
from meeting.digest import build_digest
from meeting.home import today_briefing
from meeting.roster import seed_bodies
from meeting.running_order import build_running_order, record_running_order
from storage.db import session_scope
from storage.models import AuditEntry, Briefing, Update
from tests.meeting.attendance_builders import (
    CHANNEL,
    LONDON,
    add_briefing,
    add_update,
    local,
    mark,
)
from tests.rig.fake_slack import validate_blocks, validate_view

THREATS = load_threats(CONFIG_DIR / "threats.toml")
MONDAY = date(2026, 11, 23)
CODES = ("NCA", "BTP", "MPS", "PSNI", "ERSOU", "COLP", "TITAN")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        seeds = tuple(BodySeed(code, f"{code} body") for code in CODES)
        seed_bodies(session=session, seeds=seeds, today=date(2026, 1, 1), now=local(MONDAY, 7))
        yield session


def _add(session: Session, briefing: Briefing, code: str, summary: str, **fields: object) -> Update:
    at = fields.pop("at", local(MONDAY, 9, 0))
    assert isinstance(at, datetime)
    return add_update(session, briefing, code, summary, at, **fields)


def _monday(session: Session) -> Briefing:
    friday = add_briefing(session, date(2026, 11, 20))
    _add(session, friday, "TITAN", "carried: a warrant", kind="demand", demand_status="open",
         threats=["FIREARMS"], at=local(date(2026, 11, 20), 9, 0))  # fmt: skip
    monday = add_briefing(session, MONDAY, status="open")
    _add(session, monday, "NCA", "new: lab capacity", kind="demand", demand_status="open",
         threats=["CYBER"])  # fmt: skip
    _add(session, monday, "NCA", "met already", kind="demand", demand_status="met",
         threats=["CYBER"])  # fmt: skip
    _add(session, monday, "MPS", "cannabis factory", threats=["DRUGS"], occurs_at=local(MONDAY, 2))
    _add(session, monday, "MPS", "county lines", threats=["DRUGS", "CSEA"],
         occurs_at=local(MONDAY, 3))  # fmt: skip
    _add(session, monday, "NCA", "shots fired", threats=["FIREARMS"], occurs_at=local(MONDAY, 1))
    _add(session, monday, "NCA", "boat landing", kind="plan", threats=["OIC"],
         occurs_at=local(date(2026, 11, 25), 5))  # fmt: skip
    for code, state in (("NCA", State.PRESENT), ("MPS", State.PRESENT), ("BTP", State.NIL),
                        ("COLP", State.PRESENT), ("PSNI", State.APOLOGIES)):  # fmt: skip
        mark(session, monday, code, state)
    return monday


def test_the_running_order_is_in_the_calls_order(session: Session) -> None:
    order = build_running_order(session=session, briefing=_monday(session), threats=THREATS)
    assert [d.summary for d in order.new_demands] == ["new: lab capacity"]
    assert [d.summary for d in order.carried] == ["carried: a warrant"]
    assert [(g.code, [i.summary for i in g.items]) for g in order.priority_events] == [
        ("CSEA", ["county lines"]),
        ("FIREARMS", ["shots fired"]),
    ]
    assert [(g.code, [i.summary for i in g.items]) for g in order.other_events] == [
        ("DRUGS", ["cannabis factory"])
    ]
    assert [p.summary for p in order.plans] == ["boat landing"]
    assert [b.code for b in order.nothing_to_report] == ["BTP", "COLP"]
    assert [b.code for b in order.not_checked_in] == ["ERSOU", "TITAN"]
    assert [b.code for b in order.apologies] == ["PSNI"]
    text = "\n".join(line.text for line in running_order_lines(order, LONDON))
    headings = [
        "1. Urgent demands raised today (1)",
        "2. Urgent demands carried (1)",
        "3. Significant events: national priority threats (2)",
        "4. Other significant events (1)",
        "5. Operational plans, next 72 hours (1)",
        "6. Checked in, nothing to report (2)",
        "7. Not yet checked in (2)",
        "Apologies (1)",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "county lines" in text and "DRUGS :link: _cross-cutting_" in text
    assert "carried: a warrant · raised Fri 20/11, 3 days" in text


def test_the_running_order_and_the_digest_list_the_same_updates(session: Session) -> None:
    monday = _monday(session)
    order = build_running_order(session=session, briefing=monday, threats=THREATS)
    digest = build_digest(session=session, briefing=monday, threats=THREATS)
    assert order.priority_events + order.other_events == digest.events
    assert order.plans == digest.plans
    assert set(order.new_demands) <= set(digest.demands)


def test_updates_after_the_running_order_are_marked_in_the_digest(session: Session) -> None:
    monday = _monday(session)
    record_running_order(
        session=session, briefing=monday, actor="scheduler", now=local(MONDAY, 9, 30)
    )
    _add(session, monday, "COLP", "late fraud", threats=["FRAUD"], occurs_at=local(MONDAY, 4),
         at=local(MONDAY, 9, 45))  # fmt: skip
    digest = build_digest(session=session, briefing=monday, threats=THREATS)
    after = [i.summary for i in digest.items if i.after_order]
    assert after == ["late fraud"] and digest.after_order == 1
    text = blocks_to_text([b for part in build_digest_parts(digest, LONDON) for b in part])
    assert ":clock3: _after the running order_" in text
    assert "1 after the running order" in text
    (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "briefing.running_order"))
    assert entry.subject == f"briefing:{monday.id}"


def test_a_long_running_order_is_split_within_limits_and_drops_nothing(session: Session) -> None:
    monday = _monday(session)
    for n in range(120):
        kind = ("event", "plan")[n % 2]
        at = local(MONDAY, 5) if kind == "event" else local(date(2026, 11, 24), 9)
        _add(session, monday, "NCA", f"marker-{n:03d} " + "x" * 1400, kind=kind,
             threats=[("FIREARMS", "DRUGS")[n % 4 // 2]], occurs_at=at)  # fmt: skip
    order = build_running_order(session=session, briefing=monday, threats=THREATS)
    parts = build_running_order_parts(order, LONDON, call_at=local(MONDAY, 9, 30))
    assert len(parts) > 1
    for part in parts:
        assert validate_blocks(part, surface="message") == []
    text = "\n".join(blocks_to_text(part) for part in parts)
    assert all(f"marker-{n:03d}" in text for n in range(120))
    assert "Call at 09:30" in blocks_to_text(parts[0])
    assert build_running_order_fallback(order, 2, len(parts)).startswith(
        f"Running order: call of Monday 23 November 2026 (part 2 of {len(parts)})"
    )


def test_a_chairs_app_home_shows_the_running_order(session: Session) -> None:
    monday = _monday(session)
    order = build_running_order(session=session, briefing=monday, threats=THREATS)
    today = today_briefing(
        session=session, channel=CHANNEL, now=local(MONDAY, 9, 40), meeting=MeetingSettings()
    )
    chair = build_home_view(HomeView(LONDON, today, roll_call=(), running_order=order))
    assert validate_view(chair) == []
    text = blocks_to_text(chair["blocks"])
    assert "Running order: call of Monday 23 November 2026" in text
    assert text.index("1. Urgent demands raised today") < text.index("7. Not yet checked in")
    participant = build_home_view(HomeView(LONDON, today, running_order=order))
    assert "Running order" not in blocks_to_text(participant["blocks"])
