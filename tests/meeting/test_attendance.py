"""Roll-call rules: answers, overrides, absences at close, invitations, members, stand-downs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config.files import BodySeed
from meeting.attendance import (
    Refusal,
    State,
    answer_roll_call,
    briefing_records,
    mark_absent,
    override,
    roll_call,
)
from meeting.members import add_member, list_members, members_of, remove_member
from meeting.roster import (
    RosterChange,
    invite_body,
    invite_days,
    invited_bodies,
    roster,
    uninvite_body,
)
from meeting.standdowns import (
    StandDownOutcome,
    cancel_stand_down,
    parse_day,
    stand_down_day,
)
from storage.db import session_scope
from storage.models import AuditEntry, Body
from tests.meeting.attendance_builders import CHANNEL, add_briefing, body

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)
SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("LONDON", "London ROCU"),
    BodySeed("MPS", "Metropolitan Police Service"),
    BodySeed("PSNI", "Police Service of Northern Ireland", ("TPSNI01",)),
)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    from meeting.roster import seed_bodies

    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=SEEDS, today=date(2026, 1, 1), now=NOW)
        yield session


def codes(bodies: list[Body]) -> list[str]:
    return [b.code for b in bodies]


def press(session: Session, ts: str, user: str, state: State, team: str | None = None):  # type: ignore[no-untyped-def]
    return answer_roll_call(
        session=session,
        channel=CHANNEL,
        message_ts=ts,
        user_id=user,
        team_id=team,
        state=state,
        now=NOW,
    )


def test_a_speaker_for_two_bodies_answers_for_both_and_can_change(session: Session) -> None:
    briefing = add_briefing(session, MONDAY, status="open")
    for code in ("LONDON", "MPS"):
        add_member(session=session, user_id="UALICE", code=code, actor="UCHAIR", now=NOW)
    first = press(session, briefing.thread_ts or "", "UALICE", State.PRESENT)
    assert [(b.code, before) for b, before in first.recorded] == [("LONDON", None), ("MPS", None)]
    again = press(session, briefing.thread_ts or "", "UALICE", State.APOLOGIES)
    assert [before for _, before in again.recorded] == [State.PRESENT, State.PRESENT]
    states = {
        r.body_id: r.state
        for r in briefing_records(session=session, briefing_id=briefing.id or 0).values()
    }
    assert set(states.values()) == {"apologies"}
    changes = session.exec(select(AuditEntry).where(AuditEntry.action == "attendance.set")).all()
    assert len(changes) == 4 and '"state": "present"' in (changes[-1].before or "")


def test_refusals_record_nothing(session: Session) -> None:
    briefing = add_briefing(session, MONDAY, status="open")
    closed = add_briefing(session, date(2026, 11, 20))
    ts = briefing.thread_ts or ""
    assert press(session, "1.2", "UALICE", State.PRESENT).refusal is Refusal.NOT_A_BRIEFING
    assert press(session, closed.thread_ts or "", "UALICE", State.PRESENT).refusal is Refusal.CLOSED
    assert press(session, ts, "UNOBODY", State.PRESENT).refusal is Refusal.NO_BODY
    uninvite_body(session=session, code="MPS", last_day=date(2026, 11, 22), actor="U", now=NOW)
    add_member(session=session, user_id="UBOB", code="MPS", actor="UCHAIR", now=NOW)
    refused = press(session, ts, "UBOB", State.PRESENT)
    assert refused.refusal is Refusal.NOT_INVITED and codes(refused.bodies) == ["MPS"]
    assert briefing_records(session=session, briefing_id=briefing.id or 0) == {}


def test_a_slack_connect_guest_answers_for_their_organisation(session: Session) -> None:
    briefing = add_briefing(session, MONDAY, status="open")
    answer = press(session, briefing.thread_ts or "", "UGUEST", State.NIL, team="TPSNI01")
    assert [b.code for b, _ in answer.recorded] == ["PSNI"]


def test_close_marks_every_invited_body_without_a_record_absent(session: Session) -> None:
    briefing = add_briefing(session, MONDAY, status="open")
    override(
        session=session, briefing=briefing, code="nca", state=State.PRESENT, actor="UCHAIR", now=NOW
    )
    assert codes(mark_absent(session=session, briefing=briefing, actor="UCHAIR", now=NOW)) == [
        "LONDON",
        "MPS",
        "PSNI",
    ]
    assert mark_absent(session=session, briefing=briefing, actor="UCHAIR", now=NOW) == []
    call = roll_call(session=session, briefing=briefing)
    assert call.missing == [] and {b.code: s for b, s in call.checked_in}["NCA"] is State.PRESENT


def test_override_refuses_unknown_and_uninvited_bodies(session: Session) -> None:
    briefing = add_briefing(session, MONDAY, status="open")
    assert (
        override(
            session=session, briefing=briefing, code="XYZ", state=State.ABSENT, actor="U", now=NOW
        ).refusal
        is Refusal.UNKNOWN_BODY
    )
    invite_body(
        session=session,
        code="BTP",
        name="British Transport Police",
        day=date(2026, 11, 24),
        actor="U",
        now=NOW,
    )
    assert (
        override(
            session=session, briefing=briefing, code="BTP", state=State.ABSENT, actor="U", now=NOW
        ).refusal
        is Refusal.NOT_INVITED
    )


def test_invitation_history(session: Session) -> None:
    wed, fri = date(2026, 11, 25), date(2026, 11, 27)
    assert (
        invite_body(session=session, code="BTP", name="", day=wed, actor="U", now=NOW).change
        is RosterChange.NAME_NEEDED
    )
    assert (
        invite_body(
            session=session,
            code="BTP",
            name="British Transport Police",
            day=wed,
            actor="U",
            now=NOW,
        ).change
        is RosterChange.INVITED
    )
    assert (
        invite_body(session=session, code="BTP", name="", day=wed, actor="U", now=NOW).change
        is RosterChange.ALREADY_INVITED
    )
    assert (
        uninvite_body(session=session, code="BTP", last_day=fri, actor="U", now=NOW).change
        is RosterChange.UNINVITED
    )
    assert (
        uninvite_body(session=session, code="BTP", last_day=fri, actor="U", now=NOW).change
        is RosterChange.NOT_INVITED
    )
    assert (
        uninvite_body(session=session, code="ZZZ", last_day=fri, actor="U", now=NOW).change
        is RosterChange.UNKNOWN_BODY
    )
    assert "BTP" not in codes(invited_bodies(session=session, day=date(2026, 11, 24)))
    assert "BTP" in codes(invited_bodies(session=session, day=fri))
    assert "BTP" not in codes(invited_bodies(session=session, day=date(2026, 11, 30)))
    # Invited again on the day it was uninvited: the same invitation goes on.
    assert (
        invite_body(session=session, code="btp", name="", day=fri, actor="U", now=NOW).change
        is RosterChange.REINVITED
    )
    assert "BTP" in codes(invited_bodies(session=session, day=date(2026, 12, 30)))
    entry = next(e for e in roster(session=session) if e.body.code == "BTP")
    assert entry.current and entry.invited_from == wed


def test_invite_days_follow_todays_briefing(session: Session) -> None:
    assert invite_days(session=session, channel=CHANNEL, today=MONDAY) == (
        MONDAY,
        date(2026, 11, 22),
    )
    briefing = add_briefing(session, MONDAY, status="open")
    assert invite_days(session=session, channel=CHANNEL, today=MONDAY) == (MONDAY, MONDAY)
    briefing.status = "closed"
    assert invite_days(session=session, channel=CHANNEL, today=MONDAY) == (
        date(2026, 11, 24),
        MONDAY,
    )


def test_members_are_added_listed_and_removed(session: Session) -> None:
    assert (
        add_member(session=session, user_id="UA", code="NCA", actor="UC", now=NOW).change
        is RosterChange.ADDED
    )
    assert (
        add_member(session=session, user_id="UA", code="NCA", actor="UC", now=NOW).change
        is RosterChange.ALREADY_MEMBER
    )
    assert (
        add_member(session=session, user_id="UA", code="NOPE", actor="UC", now=NOW).change
        is RosterChange.UNKNOWN_BODY
    )
    add_member(session=session, user_id="UB", code="MPS", actor="UC", now=NOW)
    assert [(b.code, u) for b, u in list_members(session=session)] == [("MPS", "UB"), ("NCA", "UA")]
    assert [(b.code, u) for b, u in list_members(session=session, code="mps")] == [("MPS", "UB")]
    assert remove_member(session=session, user_id="UA", actor="UC", now=NOW).count == 1
    assert (
        remove_member(session=session, user_id="UA", actor="UC", now=NOW).change
        is RosterChange.NOT_MEMBER
    )
    assert members_of(session=session, body_ids=[body(session, "NCA").id or 0]) == {}
    assert (
        add_member(session=session, user_id="UA", code="NCA", actor="UC", now=NOW).change
        is RosterChange.ADDED
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/11/2026", date(2026, 11, 27)),
        ("3/4/2027", date(2027, 4, 3)),  # day first: 3 April
        ("2026-11-27", date(2026, 11, 27)),
        ("31/02/2026", None),
        ("11/27/2026", None),
        ("tomorrow", None),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text) == expected


def test_stand_down_rules(session: Session) -> None:
    def down(day: date, reason: str = "national exercise") -> StandDownOutcome:
        return stand_down_day(
            session=session,
            day=day,
            reason=reason,
            today=MONDAY,
            calendar="england-and-wales",
            channel=CHANNEL,
            actor="UCHAIR",
            now=NOW,
        ).outcome

    assert down(date(2026, 11, 20)) is StandDownOutcome.PAST
    assert down(date(2026, 11, 28)) is StandDownOutcome.WEEKEND
    assert down(date(2026, 12, 25)) is StandDownOutcome.BANK_HOLIDAY
    assert down(date(2026, 11, 27), "  ") is StandDownOutcome.REASON_NEEDED
    assert down(date(2026, 11, 27), "x" * 301) is StandDownOutcome.REASON_TOO_LONG
    assert down(date(2026, 11, 27)) is StandDownOutcome.STOOD_DOWN
    assert down(date(2026, 11, 27)) is StandDownOutcome.ALREADY
    assert down(date(2026, 11, 27), "IT outage") is StandDownOutcome.REASON_CHANGED
    add_briefing(session, MONDAY, status="open")
    assert down(MONDAY) is StandDownOutcome.BRIEFING_EXISTS
    cancel = cancel_stand_down(
        session=session, day=date(2026, 11, 27), today=MONDAY, actor="U", now=NOW
    )
    assert cancel.outcome is StandDownOutcome.CANCELLED
    again = cancel_stand_down(
        session=session, day=date(2026, 11, 27), today=MONDAY, actor="U", now=NOW
    )
    assert again.outcome is StandDownOutcome.NOT_STOOD_DOWN


def test_a_lost_race_for_the_first_record_keeps_the_callers_transaction(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests from one body both find no record and both insert: the loser's work (here,
    an audit entry standing for the update that caused it) must survive, and its state win."""
    import meeting.attendance as attendance
    from meeting.audit import record
    from meeting.roster import seed_bodies
    from storage.models import Attendance

    with session_scope(engine) as setup:
        seed_bodies(session=setup, seeds=SEEDS, today=date(2026, 1, 1), now=NOW)
        briefing = add_briefing(setup, MONDAY, status="open")
        nca = body(setup, "NCA")
        assert briefing.id is not None and nca.id is not None
        ids = (briefing.id, nca.id)
    with session_scope(engine) as first:  # the winner commits first
        first.add(
            Attendance(
                briefing_id=ids[0],
                body_id=ids[1],
                state="apologies",
                source="button",
                recorded_by="UBOB",
                recorded_at=NOW,
            )
        )
    misses = [None, None]  # both of the loser's reads came before the winner committed
    real = attendance.get_attendance

    def stale_lookup(**query: Any) -> Attendance | None:
        return misses.pop() if misses else real(**query)

    monkeypatch.setattr(attendance, "get_attendance", stale_lookup)
    with session_scope(engine) as loser:
        record(session=loser, now=NOW, actor="UALICE", action="update.create", subject="update:1")
        attendance.mark_present_from_update(
            session=loser, briefing_id=ids[0], body_id=ids[1], actor="UALICE", now=NOW
        )
    with session_scope(engine) as check:
        (row,) = check.exec(select(Attendance))
        assert row.state == "present" and row.recorded_by == "UALICE"
        actions = [a.action for a in check.exec(select(AuditEntry))]
        assert "update.create" in actions and "attendance.set" in actions
