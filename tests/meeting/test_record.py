"""The day's record: attendance by body, and the demands opened, met and lapsed in its span."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from blocks.record import build_record_markdown, day_heading, md_escape, record_title
from config.settings import Settings
from meeting.attendance import State, record_attendance
from meeting.record import MeetingRecord, build_meeting_record, week_commencing
from meeting.roster import body_by_code, seed_bodies
from meeting.week import Mark
from storage.db import session_scope
from storage.models import Briefing, Update

LONDON = ZoneInfo("Europe/London")
MONDAY_OPEN = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
MONDAY_CLOSE = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
TUESDAY_OPEN = MONDAY_OPEN + timedelta(days=1)
TUESDAY_CLOSE = MONDAY_CLOSE + timedelta(days=1)


def _briefing(session: Session, day: date, opened: datetime, closed: datetime) -> Briefing:
    briefing = Briefing(
        channel_id="C0DBM",
        meeting_date=day,
        status="closed",
        thread_ts=f"{day:%d}.0",
        events_from=opened - timedelta(hours=24),
        plans_until=opened + timedelta(hours=72),
        claimed_at=opened,
        claimed_by="test",
        opened_at=opened,
        closed_at=closed,
    )
    session.add(briefing)
    session.flush()
    return briefing


def _demand(session: Session, briefing: Briefing, key: str, **fields: object) -> None:
    body = body_by_code(session=session, code="BTP")
    assert body is not None and body.id is not None and briefing.id is not None
    values: dict[str, object] = {
        "dedupe_key": key,
        "briefing_id": briefing.id,
        "body_id": body.id,
        "author_id": "UALICE",
        "kind": "demand",
        "threats": ["CYBER"],
        "summary": f"demand {key}",
        "source": "reply",
        "channel_id": "C0DBM",
        "demand_status": "open",
        "created_at": briefing.opened_at,
        "updated_at": briefing.opened_at,
        **fields,
    }
    session.add(Update(**values))  # type: ignore[arg-type]


def _tuesday_record(engine: Engine, settings: Settings) -> MeetingRecord:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=settings.bodies, today=date(2026, 1, 1), now=MONDAY_OPEN)
        monday = _briefing(session, date(2026, 11, 23), MONDAY_OPEN, MONDAY_CLOSE)
        tuesday = _briefing(session, date(2026, 11, 24), TUESDAY_OPEN, TUESDAY_CLOSE)
        before_span = MONDAY_CLOSE - timedelta(minutes=5)
        in_span = MONDAY_CLOSE + timedelta(hours=5)
        _demand(session, monday, "met-monday", demand_status="met", demand_closed_at=before_span)
        _demand(session, monday, "met-tuesday", demand_status="met", demand_closed_at=in_span)
        _demand(session, monday, "overdue", due_at=in_span)
        _demand(session, monday, "due-later", due_at=TUESDAY_CLOSE + timedelta(hours=1))
        _demand(session, monday, "withdrawn", status="withdrawn", due_at=in_span)
        _demand(session, tuesday, "opened-tuesday")
        btp = body_by_code(session=session, code="BTP")
        assert btp is not None and btp.id is not None and tuesday.id is not None
        record_attendance(
            session=session,
            briefing_id=tuesday.id,
            body_id=btp.id,
            state=State.APOLOGIES,
            source="button",
            actor="UALICE",
            now=TUESDAY_OPEN,
        )
        session.flush()
        return build_meeting_record(
            session=session, briefing=tuesday, threats=settings.threats, now=TUESDAY_CLOSE
        )


def test_demands_are_counted_from_the_previous_close(engine: Engine, settings: Settings) -> None:
    record = _tuesday_record(engine, settings)
    assert [d.summary for d in record.opened] == ["demand opened-tuesday"]
    assert [d.summary for d in record.met] == ["demand met-tuesday"]
    assert [d.summary for d in record.lapsed] == ["demand overdue"]


def test_attendance_lists_every_invited_body(engine: Engine, settings: Settings) -> None:
    record = _tuesday_record(engine, settings)
    marks = {row.code: row.mark for row in record.attendance}
    assert marks["BTP"] is Mark.APOLOGIES
    assert marks["NCA"] is Mark.NOT_RECORDED
    assert len(marks) == len(settings.bodies)


def test_the_markdown_has_the_days_parts_in_order(engine: Engine, settings: Settings) -> None:
    markdown = build_record_markdown(_tuesday_record(engine, settings), LONDON)
    lines = markdown.splitlines()
    assert lines[0] == "## Tuesday 24/11/2026"
    assert lines[1].startswith("**Events since** Mon 23 Nov 08:30 GMT")
    assert lines[1].endswith("opened 08:30, closed 11:00")
    order = [
        "### Attendance",
        "| BTP | British Transport Police | Apologies |",
        "### Urgent demands (1)",
        "### Significant events (0)",
        "### Operational plans (0)",
        "### Urgent demands opened, met and lapsed",
        "- Opened: 1",
        "- Met: 1",
        "- Lapsed (due time passed unmet): 1",
        "  - **BTP** (due Mon 23 Nov 16:00 GMT): demand overdue",
    ]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)


def test_names_and_dates() -> None:
    assert week_commencing(date(2026, 11, 26)) == date(2026, 11, 23)
    assert week_commencing(date(2026, 11, 23)) == date(2026, 11, 23)
    assert record_title(date(2026, 11, 23)) == "DBM record — week commencing Mon 23/11/2026"
    assert day_heading(date(2027, 3, 29)) == "Monday 29/03/2027"


def test_user_text_cannot_make_markup() -> None:
    text = "# Heading\n![](@U123) [link](https://x) *bold* `code` | pipe <@U1>"
    escaped = md_escape(text)
    assert "\n" not in escaped
    assert escaped.startswith(r"\# Heading \!\[\]\(@U123\) \[link\]\(https://x\)")
    assert r"\*bold\*" in escaped and r"\`code\`" in escaped and r"\|" in escaped
    assert r"\<@U1\>" in escaped
