"""A quarter for the inspectorate: BTP invited mid-way, NPICC only ever sends apologies, NPAC never
attends, MDP uninvited mid-way; members, guidance and refusals for the compliance sheet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from config.files import BodySeed
from meeting.attendance import State
from meeting.periods import Period, quarter_of
from meeting.roster import invite_body, seed_bodies, uninvite_body
from storage.models import GuidanceAck, GuidanceVersion, Member, Refusal
from tests.meeting.attendance_builders import add_briefing, add_update, body, local, mark

NOW = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)
Q4: Period = quarter_of(date(2026, 10, 1))
SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("NPICC", "National Prison Intelligence Coordination Centre"),
    BodySeed("NPAC", "National Ports Analysis Centre"),
    BodySeed("MDP", "Ministry of Defence Police"),
)
DAYS = [date(2026, 10, 1), date(2026, 10, 15), date(2026, 11, 2), date(2026, 11, 23)]
DAYS += [date(2026, 12, 14), date(2026, 12, 16)]
BTP_INVITED = date(2026, 11, 20)
MDP_LAST_DAY = date(2026, 11, 2)
CHAIR = "UCHAIR"


def _roster(session: Session) -> None:
    seed_bodies(session=session, seeds=SEEDS, today=date(2026, 1, 1), now=NOW)
    invite_body(
        session=session, code="BTP", name="British Transport Police", day=BTP_INVITED,
        actor=CHAIR, now=NOW,
    )  # fmt: skip
    uninvite_body(session=session, code="MDP", last_day=MDP_LAST_DAY, actor=CHAIR, now=NOW)


def _attendance(session: Session) -> None:
    for day in DAYS:
        briefing = add_briefing(session, day)
        mark(session, briefing, "NCA", State.PRESENT)
        mark(session, briefing, "NPICC", State.APOLOGIES)
        mark(session, briefing, "NPAC", State.ABSENT)
        if day <= MDP_LAST_DAY:
            mark(session, briefing, "MDP", State.PRESENT if day != DAYS[1] else State.ABSENT)
        if day >= BTP_INVITED:
            mark(session, briefing, "BTP", State.PRESENT if day == DAYS[3] else State.ABSENT)
        if day == DAYS[3]:
            add_update(session, briefing, "BTP", "Line closure at Euston", local(day, 9))
            plan = add_update(
                session, briefing, "BTP", "Planned operation", local(day, 9, 5),
                occurs_at=local(day, 22),
            )  # fmt: skip
            plan.kind = "plan"
            session.add(plan)


def _guidance(session: Session) -> None:
    version = GuidanceVersion(
        content_hash="h1", published_at=local(date(2026, 10, 5), 10), published_by=CHAIR,
        channel_id="C0DBM", message_ts="1.0",
    )  # fmt: skip
    session.add(version)
    session.flush()
    for user, code in (("UALICE", "BTP"), ("UBOB", "BTP"), ("UCAROL", "NPICC")):
        session.add(Member(slack_user_id=user, body_id=body(session, code).id or 0,
                           added_by=CHAIR, added_at=NOW))  # fmt: skip
    session.add(GuidanceAck(slack_user_id="UALICE", version_id=version.id or 0, acked_at=NOW))
    refusals = [("BTP", "unknown_threat"), ("BTP", "unknown_threat"), ("BTP", "window")]
    refusals += [(None, "no_body")]
    for n, (code, reason) in enumerate(refusals):
        body_id = None if code is None else body(session, code).id
        session.add(Refusal(key=f"r{n}", at=local(DAYS[3], 9, n), user_id="UALICE",
                            body_id=body_id, source="reply", reason=reason))  # fmt: skip
    btp = body(session, "BTP").id
    session.add(Refusal(key="late", at=local(date(2027, 1, 4)), user_id="UALICE", body_id=btp,
                        source="reply", reason="window"))  # fmt: skip
    session.flush()


def inspectorate_quarter(session: Session) -> None:
    """The whole quarter's records."""
    _roster(session)
    _attendance(session)
    _guidance(session)
