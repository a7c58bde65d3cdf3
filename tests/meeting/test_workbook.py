"""The workbook opened with openpyxl: states, totals, real local date-times, safe text, layout."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.files import BodySeed
from meeting.attendance import State
from meeting.roster import invite_body, seed_bodies
from meeting.week import IsoWeek
from meeting.workbook import build_workbook, load_report, render_workbook
from storage.db import session_scope
from storage.models import Attendance, Body, Briefing, Invitation, Update
from tests.meeting.attendance_builders import CHANNEL, LONDON, add_briefing, add_update, local, mark

NOW = datetime(2026, 12, 25, 12, 0, tzinfo=UTC)
SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("BTP", "British Transport Police"),
    BodySeed("MDP", "Ministry of Defence Police"),
)
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+44 20 7946 0000",
    "-5 kg",
    "@SUM(A1)",
    "\tindented",
    "\rreturn",
]


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=SEEDS, today=date(2026, 1, 1), now=NOW)
        yield session


def christmas_week(session: Session) -> None:
    days = [date(2026, 12, d) for d in (21, 22, 23, 24)]
    briefings = [add_briefing(session, day) for day in days]
    invite_body(
        session=session, code="COLP", name="City of London Police", day=days[2], actor="U", now=NOW
    )
    for briefing in briefings:
        mark(session, briefing, "NCA", State.PRESENT)
        mark(session, briefing, "MDP", State.ABSENT)
    mark(session, briefings[0], "BTP", State.NIL)
    mark(session, briefings[1], "BTP", State.APOLOGIES)
    mark(session, briefings[2], "COLP", State.PRESENT)
    for index, summary in enumerate(HOSTILE):
        add_update(session, briefings[0], "NCA", summary, local(days[0], 8, 40 + index))
    add_update(
        session, briefings[3], "BTP", "secret squirrel", local(days[3], 9), text_purged_at=NOW
    )


def open_book(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content))


CHRISTMAS = IsoWeek(2026, 52)


def build(session: Session, week: IsoWeek = CHRISTMAS) -> bytes:
    return build_workbook(
        session=session,
        week=week,
        channel=CHANNEL,
        calendar="england-and-wales",
        zone=LONDON,
        now=NOW,
    )


def header_columns(ws: Any, row: int) -> dict[Any, int]:
    return {cell.value: cell.column for cell in ws[row] if cell.value is not None}


def body_rows(ws: Any) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}


def test_attendance_sheet_matches_the_records(session: Session) -> None:
    christmas_week(session)
    ws = open_book(build(session))["Attendance"]
    columns = header_columns(ws, 4)
    days = [datetime(2026, 12, d) for d in (21, 22, 23, 24, 25)]
    assert [columns[d] for d in days] == [3, 4, 5, 6, 7]  # real dates, Monday to Friday
    assert ws.cell(4, 3).number_format == "ddd dd/mm/yyyy"
    assert ws.cell(5, 7).value == "No meeting: bank holiday: Christmas Day"
    rows = body_rows(ws)
    assert [ws.cell(rows["COLP"], c).value for c in range(3, 8)] == [
        "Not invited",
        "Not invited",
        "Present",
        "Not recorded",
        "No meeting",
    ]
    assert [ws.cell(rows["BTP"], c).value for c in range(3, 7)] == [
        "Nil return",
        "Apologies",
        "Not recorded",
        "Not recorded",
    ]
    assert ws.cell(rows["MDP"], columns["Absent"]).value == 4
    assert ws.cell(rows["NCA"], columns["Rate"]).value == 1
    assert ws.cell(rows["COLP"], columns["Expected"]).value == 2
    assert ws.cell(rows["BTP"], columns["Rate"]).value == 0.25
    assert ws.cell(rows["BTP"], columns["Rate"]).number_format == "0%"
    overall = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 2).value == "All bodies")
    assert overall == max(rows[c] for c in ("BTP", "COLP", "MDP", "NCA")) + 1
    assert ws.cell(overall, 2).value == "All bodies"
    assert ws.cell(overall, columns["Attended"]).value == 6
    per_day = {ws.cell(r, 2).value: r for r in range(overall + 1, ws.max_row + 1)}
    assert ws.cell(per_day["Expected"], 5).value == 4  # Wednesday: COLP joined
    assert ws.cell(per_day["Attendance rate"], 5).value == 0.5
    assert ws.cell(per_day["Expected"], 7).value is None  # no meeting on Christmas Day
    assert ws.freeze_panes == "C6"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$5"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert {r.formula[0] for r in rules if r.type == "cellIs"} >= {
        '"Present"',
        '"Absent"',
        '"No meeting"',
    }
    assert ws.column_dimensions["B"].width >= len("Ministry of Defence Police")


def test_updates_are_local_date_times_and_user_text_never_a_formula(session: Session) -> None:
    christmas_week(session)
    content = build(session)
    ws = open_book(content)["Updates"]
    columns = header_columns(ws, 1)
    summaries = [ws.cell(r, columns["Summary"]).value for r in range(2, ws.max_row + 1)]
    # XML turns a carriage return into a line feed when read back; still text, not a formula.
    assert summaries[: len(HOSTILE)] == [h.replace("\r", "\n") for h in HOSTILE]
    assert summaries[-1] == "(text removed under the retention rule)"
    for row in range(2, 2 + len(HOSTILE)):
        cell = ws.cell(row, columns["Summary"])
        assert cell.data_type == "s" and cell.quotePrefix
    posted = ws.cell(2, columns["Posted"])
    assert posted.value == datetime(2026, 12, 21, 8, 40) and posted.is_date
    assert posted.number_format == "dd/mm/yyyy hh:mm"
    assert ws.cell(2, columns["Briefing"]).value == datetime(2026, 12, 21)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M8"
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet


def test_summer_times_are_british_summer_time(session: Session) -> None:
    briefing = add_briefing(session, date(2026, 6, 29))
    add_update(session, briefing, "NCA", "in summer", datetime(2026, 6, 29, 7, 45, tzinfo=UTC))
    ws = open_book(build(session, IsoWeek(2026, 27)))["Updates"]
    assert ws.cell(2, 2).value == datetime(2026, 6, 29, 8, 45)


def test_summary_highlights_and_charts(session: Session) -> None:
    christmas_week(session)
    content = build(session)
    book = open_book(content)
    assert book.sheetnames == ["Attendance", "Updates", "Summary"]
    ws = book["Summary"]
    facts = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(3, 30)}
    assert facts["Week"].value == "2026-W52" and facts["Briefings held"].value == 4
    assert facts["Generated"].value == datetime(2026, 12, 25, 12, 0)
    assert "Christmas Day" in facts["Weekdays without a meeting"].value
    header = next(
        r for r in range(3, ws.max_row + 1) if ws.cell(r, 8).value == "Absent at every meeting"
    )
    flagged = {
        ws.cell(r, 1).value: ws.cell(r, 8).value
        for r in range(header + 1, ws.max_row + 1)
        if ws.cell(r, 1).value
    }
    assert flagged == {"BTP": None, "COLP": None, "MDP": "Yes", "NCA": None}
    mdp = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "MDP")
    assert ws.cell(mdp, 1).fill.start_color.rgb.endswith("FFC7CE")
    assert book.properties.title == "DBM attendance 2026-W52"
    assert "Europe/London" in book.properties.description
    assert {p.name: p.value for p in book.custom_doc_props}["Week"] == "2026-W52"
    archive = zipfile.ZipFile(io.BytesIO(content))
    chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in chart and re.search(r"'?Summary'?!\$G\$\d+", chart)
    assert "drawing" in archive.read("xl/worksheets/_rels/sheet3.xml.rels").decode()


def test_an_empty_week_still_builds(session: Session) -> None:
    book = open_book(build(session, IsoWeek(2030, 1)))
    assert book["Attendance"].cell(6, 1).value == "BTP"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_opens_the_workbook(session: Session, tmp_path: Path) -> None:
    christmas_week(session)
    source = tmp_path / "week.xlsx"
    source.write_bytes(build(session))
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "week.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), done.stdout + done.stderr


def _year_of_data(session: Session, bodies: int, weeks: int, per_day: int) -> tuple[date, date]:
    """Bulk rows: every weekday a closed briefing, every body a record, `per_day` updates."""
    start = date(2025, 1, 6)
    days = [start + timedelta(days=d) for d in range(weeks * 7)]
    days = [d for d in days if d.weekday() < 5]
    codes = [f"B{i:03d}" for i in range(bodies)]
    session.execute(
        insert(Body), [{"code": c, "name": f"Body {c}", "created_at": NOW} for c in codes]
    )
    body_ids = [b.id for b in session.exec(select(Body).where(col(Body.code).in_(codes)))]
    session.execute(
        insert(Invitation),
        [{"body_id": i, "invited_from": start, "invited_by": "U"} for i in body_ids],
    )
    session.execute(
        insert(Briefing),
        [
            {"channel_id": CHANNEL, "meeting_date": d, "status": "closed", "events_from": NOW,
             "plans_until": NOW, "claimed_at": NOW, "claimed_by": "t", "opened_at": local(d),
             "thread_ts": f"{n}.0"}
            for n, d in enumerate(days)
        ],
    )  # fmt: skip
    briefings = list(session.exec(select(Briefing.id, Briefing.meeting_date)))
    states = ("present", "nil", "apologies", "absent")
    session.execute(
        insert(Attendance),
        [
            {"briefing_id": b, "body_id": i, "state": states[(n + j) % 4], "source": "t",
             "recorded_by": "t", "recorded_at": NOW}
            for n, (b, _) in enumerate(briefings) for j, i in enumerate(body_ids)
        ],
    )  # fmt: skip
    session.execute(
        insert(Update),
        [
            {"dedupe_key": f"p{b}:{k}", "briefing_id": b, "body_id": body_ids[k % bodies],
             "author_id": "U", "kind": "event", "summary": "=1+1 routine", "source": "modal",
             "channel_id": CHANNEL, "created_at": local(d, 9), "updated_at": NOW,
             "threats": "", "marking": "OFFICIAL", "status": "active", "late": False}
            for b, d in briefings for k in range(per_day)
        ],
    )  # fmt: skip
    return start, days[-1]


def test_one_week_of_a_year_of_data_holds_only_that_week(session: Session) -> None:
    """(How fast is measured by `python -m bench`, not here.)"""
    _, end = _year_of_data(session, bodies=60, weeks=52, per_day=40)
    book = open_book(build(session, IsoWeek.of(end)))
    assert book["Attendance"].cell(6, 1).value == "B000"
    assert book["Updates"].max_row == 1 + 5 * 40


AWKWARD = {
    "\x01=cmd|' /C calc'!A0": "=cmd|' /C calc'!A0",  # a control character XML cannot carry
    '<b>tea</b> & "biscuits"': '<b>tea</b> & "biscuits"',
    "  padded  ": "  padded  ",
}


def test_awkward_text_stays_text_and_every_part_is_well_formed(session: Session) -> None:
    monday = date(2026, 12, 21)
    briefing = add_briefing(session, monday)
    for index, summary in enumerate(AWKWARD):
        add_update(session, briefing, "NCA", summary, local(monday, 9, index), location="@A1")
    content = build(session)
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(archive.read(name))  # raises if not well-formed
    assert "<f>" not in archive.read("xl/worksheets/sheet2.xml").decode()
    ws = open_book(content)["Updates"]
    columns = header_columns(ws, 1)
    cells = [ws.cell(r, columns["Summary"]) for r in range(2, 2 + len(AWKWARD))]
    assert [cell.value for cell in cells] == list(AWKWARD.values())
    assert cells[0].data_type == "s" and cells[0].quotePrefix and not cells[1].quotePrefix
    location = ws.cell(2, columns["Location"])
    assert location.value == "@A1" and location.data_type == "s" and location.quotePrefix


def test_widths_fit_what_is_shown_and_readers_see_each_sheet_size(session: Session) -> None:
    christmas_week(session)
    content = build(session)
    book = open_book(content)
    attendance, updates = book["Attendance"], book["Updates"]
    rate = get_column_letter(header_columns(attendance, 4)["Rate"])
    assert attendance.column_dimensions[rate].width == 8  # "25%" as shown, not 0.25
    summary = get_column_letter(header_columns(updates, 1)["Summary"])
    assert updates.column_dimensions[summary].width == len(HOSTILE[0]) + 2
    streamed = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert (streamed["Updates"].max_row, streamed["Updates"].max_column) == (8, 13)
    assert streamed["Attendance"].max_row == attendance.max_row


def test_a_year_in_one_book_keeps_every_day_and_update(session: Session) -> None:
    start, end = _year_of_data(session, bodies=4, weeks=52, per_day=2)
    report = load_report(
        session=session,
        start=start,
        end=end,
        label="year",
        channel=CHANNEL,
        calendar="england-and-wales",
        zone=LONDON,
        now=NOW,
    )
    book = open_book(render_workbook(report))
    attendance, updates = book["Attendance"], book["Updates"]
    days = 52 * 5
    assert attendance.max_column == 2 + days + 8
    assert attendance.cell(4, 3).value == datetime(2025, 1, 6)
    assert attendance.cell(4, 2 + days).value == datetime.combine(end, clock_time())
    rows = body_rows(attendance)
    rates = {attendance.cell(rows[code], 2 + days + 8).value for code in ("B000", "B003")}
    assert rates == {0.5}
    assert updates.max_row == 1 + days * 2
    assert updates.cell(updates.max_row, 2).value == datetime.combine(end, clock_time(9, 30))
