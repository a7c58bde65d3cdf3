"""Urgent demands over a week with a bank holiday: raised, renewed, met, lapsed and reopened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.files import BodySeed
from meeting.calendar import is_weekday_meeting
from meeting.demands import (
    DemandStatus,
    carried_demands,
    changeable,
    close_demand,
    header_demands,
    lapsed_in,
    open_demands,
)
from meeting.members import add_member, remove_member
from meeting.renewal import (
    Renewed,
    lapse_demands,
    renew_demand,
    renewal_prompts,
    reopen_demand,
)
from meeting.roster import seed_bodies
from meeting.viewers import Viewer
from storage.db import session_scope
from storage.models import AuditEntry, Briefing, Update
from tests.meeting.attendance_builders import add_briefing, add_update, body, local

SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("ERSOU", "Eastern Region Special Operations Unit"),
    BodySeed("BTP", "British Transport Police"),
)
# A week around the spring bank holiday (Monday 25 May 2026, England and Wales), in BST.
WEEK = [date(2026, 5, d) for d in (20, 21, 22, 26, 27, 28)]
CHAIR = Viewer("UCHAIR", frozenset(), is_chair=True)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=SEEDS, today=date(2026, 1, 1), now=local(WEEK[0], 7))
        add_member(session=session, user_id="UALICE", code="ERSOU", actor="U0", now=local(WEEK[0]))
        add_member(session=session, user_id="UBOB", code="ERSOU", actor="U0", now=local(WEEK[0]))
        add_member(session=session, user_id="UCAROL", code="BTP", actor="U0", now=local(WEEK[0]))
        yield session


def demand(session: Session, briefing: Briefing, code: str, summary: str, at: datetime) -> Update:
    """An open urgent demand raised by UALICE (or UCAROL for BTP)."""
    author = "UCAROL" if code == "BTP" else "UALICE"
    return add_update(
        session, briefing, code, summary, at,
        kind="demand", demand_status="open", threats=["CYBER"], author_id=author,
    )  # fmt: skip


def ersou(session: Session) -> Viewer:
    return Viewer("UALICE", frozenset({body(session, "ERSOU").id or 0}))


def close(session: Session, briefing: Briefing) -> list[str]:
    """The close-time step: lapse what is due; the summaries that lapsed."""
    lapsed = lapse_demands(
        session=session, briefing=briefing, lapse_after=3, now=local(briefing.meeting_date, 11),
        actor="scheduler",
    )  # fmt: skip
    return [lapse.demand.summary for lapse in lapsed]


def test_the_week_has_no_meeting_on_the_bank_holiday() -> None:
    assert not is_weekday_meeting(date(2026, 5, 25), "england-and-wales")
    assert all(is_weekday_meeting(day, "england-and-wales") for day in WEEK)


def test_a_week_of_demands_raised_renewed_met_lapsed_and_reopened(session: Session) -> None:
    wed = add_briefing(session, WEEK[0])
    a = demand(session, wed, "ERSOU", "A: contact at the trust", local(WEEK[0], 9, 10))
    b = demand(session, wed, "BTP", "B: CCTV from Euston", local(WEEK[0], 9, 20))
    assert close(session, wed) == []

    thu = add_briefing(session, WEEK[1])
    prompts = renewal_prompts(session=session, briefing=thu, lapse_after=3)
    assert [(p.demand.summary, p.ask, p.remaining) for p in prompts] == [
        ("A: contact at the trust", ("UALICE",), 2),
        ("B: CCTV from Euston", ("UCAROL",), 2),
    ]
    c = demand(session, thu, "ERSOU", "C: interpreter", local(WEEK[1], 9, 0))
    d = demand(session, thu, "ERSOU", "D: hire car check", local(WEEK[1], 9, 5))
    assert close(session, thu) == []

    fri = add_briefing(session, WEEK[2])
    assert [p.remaining for p in renewal_prompts(session=session, briefing=fri, lapse_after=3)] == [
        1, 1, 2, 2,
    ]  # fmt: skip
    carol = Viewer("UCAROL", frozenset({body(session, "BTP").id or 0}))
    renewed = renew_demand(
        session=session, update_id=b.id or 0, briefing_id=fri.id, viewer=carol,
        now=local(WEEK[2], 9, 10),
    )  # fmt: skip
    assert renewed.outcome is Renewed.RENEWED
    again = renew_demand(
        session=session, update_id=b.id or 0, briefing_id=fri.id, viewer=carol,
        now=local(WEEK[2], 9, 11),
    )  # fmt: skip
    assert again.outcome is Renewed.ALREADY
    assert close_demand(
        session=session, update=c, status=DemandStatus.MET, actor="UALICE", now=local(WEEK[2], 10)
    )
    assert close(session, fri) == []

    # Monday is the bank holiday: no briefing, so nothing ages towards lapsing.
    tue = add_briefing(session, WEEK[3])
    prompts = renewal_prompts(session=session, briefing=tue, lapse_after=3)
    assert [(p.demand.summary, p.remaining) for p in prompts] == [
        ("A: contact at the trust", 0),  # lapses when this briefing closes
        ("B: CCTV from Euston", 2),
        ("D: hire car check", 1),
    ]
    assert prompts[0].demand.age_days == 6  # raised Wed 20/05, shown Tue 26/05
    assert close(session, tue) == ["A: contact at the trust"]
    assert close(session, tue) == []  # idempotent
    assert [x.summary for x in lapsed_in(session=session, briefing_id=tue.id or 0)] == [
        "A: contact at the trust"
    ]

    wed2 = add_briefing(session, WEEK[4])
    assert close(session, wed2) == ["D: hire car check"]

    thu2 = add_briefing(session, WEEK[5])
    reopened = reopen_demand(
        session=session, update_id=d.id or 0, briefing_id=thu2.id, viewer=CHAIR,
        now=local(WEEK[5], 9, 0),
    )  # fmt: skip
    assert reopened.outcome is Renewed.REOPENED
    assert close(session, thu2) == ["B: CCTV from Euston"]  # renewed Fri, then three without
    still_open = open_demands(session=session, today=WEEK[5])
    assert [x.summary for x in still_open] == ["D: hire car check"]

    statuses = {u.summary: u.demand_status for u in session.exec(select(Update))}
    assert statuses == {
        "A: contact at the trust": "lapsed",
        "B: CCTV from Euston": "lapsed",
        "C: interpreter": "met",
        "D: hire car check": "open",
    }
    assert a.demand_lapsed_in == tue.id and a.demand_closed_by == "scheduler"
    actions = [e.action for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]
    assert [x for x in actions if x.startswith("demand.")] == [
        "demand.renewed",
        "demand.met",
        "demand.lapsed",
        "demand.lapsed",
        "demand.reopened",
        "demand.lapsed",
    ]


def test_renewal_and_reopening_are_refused_clearly(session: Session) -> None:
    mon = add_briefing(session, date(2026, 11, 23), status="open")
    a = demand(session, mon, "ERSOU", "A", local(mon.meeting_date, 9))
    stranger = Viewer("UCAROL", frozenset({body(session, "BTP").id or 0}))
    now = local(mon.meeting_date, 9, 30)
    refused = renew_demand(
        session=session, update_id=a.id or 0, briefing_id=mon.id, viewer=stranger, now=now
    )
    assert refused.outcome is Renewed.NOT_ALLOWED
    gone = renew_demand(session=session, update_id=999, briefing_id=mon.id, viewer=CHAIR, now=now)
    assert gone.outcome is Renewed.GONE
    not_chair = reopen_demand(
        session=session, update_id=a.id or 0, briefing_id=mon.id, viewer=ersou(session), now=now
    )
    assert not_chair.outcome is Renewed.NOT_ALLOWED
    not_lapsed = reopen_demand(
        session=session, update_id=a.id or 0, briefing_id=mon.id, viewer=CHAIR, now=now
    )
    assert (not_lapsed.outcome, not_lapsed.status) == (Renewed.NOT_OPEN, "open")
    assert close_demand(
        session=session, update=a, status=DemandStatus.WITHDRAWN, actor="UALICE", now=now
    )
    closed = renew_demand(
        session=session, update_id=a.id or 0, briefing_id=mon.id, viewer=ersou(session), now=now
    )
    assert (closed.outcome, closed.status) == (Renewed.NOT_OPEN, "withdrawn")


def test_a_raiser_who_left_the_body_is_replaced_by_its_members(session: Session) -> None:
    mon = add_briefing(session, date(2026, 11, 23))
    demand(session, mon, "ERSOU", "A", local(mon.meeting_date, 9))
    remove_member(session=session, user_id="UALICE", actor="U0", now=local(mon.meeting_date, 12))
    tue = add_briefing(session, date(2026, 11, 24))
    (prompt,) = renewal_prompts(session=session, briefing=tue, lapse_after=3)
    assert prompt.ask == ("UBOB",)


def test_nothing_lapses_before_enough_briefings_were_held(session: Session) -> None:
    first = add_briefing(session, date(2026, 11, 23))
    demand(session, first, "ERSOU", "A", local(first.meeting_date, 7))  # before it opened
    assert close(session, first) == []  # one briefing held, three needed


def test_the_header_lists_the_oldest_carried_and_counts_the_rest(session: Session) -> None:
    mon = add_briefing(session, date(2026, 11, 23))
    for n in range(8):
        demand(
            session, mon, "ERSOU" if n % 2 else "BTP", f"demand {n}", local(mon.meeting_date, 9, n)
        )
    tue = add_briefing(session, date(2026, 11, 24), status="open")
    demand(session, tue, "ERSOU", "today's", local(tue.meeting_date, 9))
    page = header_demands(session=session, briefing_id=tue.id or 0, limit=5)
    assert [d.summary for d in page.shown] == [f"demand {n}" for n in range(5)]
    assert (page.total, page.more) == (8, 3)
    assert page.shown[0].raised_on == date(2026, 11, 23) and page.shown[0].age_days == 1
    assert page.shown[0].threats == ("CYBER",) and page.shown[0].body_code == "BTP"
    none = header_demands(session=session, briefing_id=tue.id or 0, limit=0)
    assert (none.shown, none.more) == ((), 8)
    assert len(carried_demands(session=session, briefing_id=tue.id or 0)) == 8


def test_changeable_demands_are_the_viewers_bodys_or_all_for_a_chair(session: Session) -> None:
    mon = add_briefing(session, date(2026, 11, 23))
    demand(session, mon, "ERSOU", "mine", local(mon.meeting_date, 9))
    demand(session, mon, "BTP", "theirs", local(mon.meeting_date, 9, 1))
    demands = open_demands(session=session, today=mon.meeting_date)
    ids = {d.summary: d.id for d in demands}
    assert changeable(demands, ersou(session)) == {ids["mine"]}
    assert changeable(demands, Viewer("UCAROL", frozenset())) == {ids["theirs"]}  # the author
    assert changeable(demands, CHAIR) == set(ids.values())
    assert changeable(demands, Viewer("UNOBODY", frozenset())) == set()


def _plan(engine: Engine, session: Session, query: Any) -> str:
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    plan = session.connection().execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return " | ".join(str(row[-1]) for row in plan)


def test_the_demand_queries_use_their_indexes(engine: Engine, session: Session) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by table statistics")
    from meeting.demands import _lapsed_query, _with_status

    carried = _with_status(DemandStatus.OPEN).where(col(Update.briefing_id) != 1).limit(5)
    steps = _plan(engine, session, carried)
    assert "USING INDEX ix_update_demand_status_created_at (demand_status=?)" in steps, steps
    assert "TEMP B-TREE" not in steps, steps  # the index gives the order: no sort
    steps = _plan(engine, session, _lapsed_query(1))
    assert "USING INDEX ix_update_demand_lapsed_in (demand_lapsed_in=?)" in steps, steps


def test_ages_count_calendar_days_across_the_clock_change(session: Session) -> None:
    fri = add_briefing(session, date(2026, 10, 23))  # BST
    demand(session, fri, "ERSOU", "A", local(fri.meeting_date, 9, 0))
    (shown,) = open_demands(session=session, today=date(2026, 10, 26))  # GMT since Sunday
    assert shown.age_days == 3 and shown.raised_at == datetime(2026, 10, 23, 8, 0, tzinfo=UTC)
