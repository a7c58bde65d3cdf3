"""The Membership review and Guidance compliance sheets of a quarter, read back with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meeting.labels import REFUSAL_LABELS, label
from meeting.report import Report, load_report
from meeting.review import Flag
from meeting.workbook import render_workbook
from storage.db import session_scope
from tests.meeting.attendance_builders import CHANNEL, LONDON
from tests.meeting.quarter_builders import NOW, Q4, inspectorate_quarter


@pytest.fixture
def report(engine: Engine) -> Iterator[Report]:
    with session_scope(engine) as session:
        inspectorate_quarter(session)
        yield quarter_report(session)


def quarter_report(session: Session, review_rate: int = 50) -> Report:
    return load_report(
        session=session, period=Q4, channel=CHANNEL, calendar="england-and-wales", zone=LONDON,
        now=NOW, review_rate=review_rate, marking="OFFICIAL-SENSITIVE",
    )  # fmt: skip


def table(ws: Any, header_row: int = 4) -> dict[str, dict[str, Any]]:
    """A sheet's table as {code: {heading: value}}, in sheet order."""
    headings = [cell.value for cell in ws[header_row]]
    rows: dict[str, dict[str, Any]] = {}
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] or row[1]:
            rows[row[0] or ""] = dict(zip(headings, row, strict=False))
    return rows


def test_the_review_flags_each_body_with_its_reason_worst_first(report: Report) -> None:
    named = replace(report, names={"UCHAIR": "NCA Chair"})
    ws = openpyxl.load_workbook(io.BytesIO(render_workbook(named)))["Membership review"]
    assert ws.cell(1, 1).value == "Membership review, October to December 2026 (2026-Q4)"
    rows = table(ws)
    assert list(rows) == ["NPAC", "NPICC", "BTP", "MDP", "NCA"]
    npac, npicc, btp, mdp = rows["NPAC"], rows["NPICC"], rows["BTP"], rows["MDP"]
    assert npac["Why flagged"].startswith("Never attended in the period")
    assert npac["Briefings expected"] == npac["Absent"] == npac["Longest run missed"] == 6
    assert npac["Last attended"] == "never" and npac["Attendance rate"] == 0
    assert npicc["Why flagged"].startswith("Apologies only")
    assert npicc["Apologies"] == 6 and npicc["Longest run missed"] == 6
    assert btp["Why flagged"].startswith("Attendance 33% is below the review rate of 50%")
    assert btp["Invited from"] == datetime(2026, 11, 20) and btp["Invited to"] == "still invited"
    assert btp["Invited by"] == "NCA Chair" and btp["Briefings expected"] == 3
    assert btp["Last attended"] == datetime(2026, 11, 23) and btp["Longest run missed"] == 2
    assert (btp["Significant events"], btp["Operational plans"], btp["Urgent demands"]) == (1, 1, 0)
    assert mdp["Why flagged"] is None and mdp["Attendance rate"] == pytest.approx(2 / 3)
    assert mdp["Invited to"] == datetime(2026, 11, 2) and mdp["Uninvited by"] == "NCA Chair"
    assert mdp["Invited by"] == "the roster file"
    assert ws.cell(5, 1).fill.start_color.rgb.endswith("FFC7CE")  # flagged rows stand out
    assert ws.cell(8, 1).fill.start_color.rgb in (None, "00000000")


def test_the_review_chart_shows_the_rates_lowest_first_flagged_in_red(report: Report) -> None:
    archive = zipfile.ZipFile(io.BytesIO(render_workbook(report)))
    chart = archive.read("xl/charts/chart1.xml").decode()
    assert re.search(r"'Membership review'!\$N\$5:\$N\$9", chart)
    assert chart.count("<dPt>") == 3 and "F8696B" in chart  # NPAC, NPICC, BTP in red
    assert re.search(r'<orientation val="maxMin"\s*/>', chart)


def test_the_review_rate_is_a_setting(engine: Engine) -> None:
    with session_scope(engine) as session:
        inspectorate_quarter(session)
        strict = quarter_report(session, review_rate=70)
    flags = {review.code: review.flag for review in strict.review}
    assert flags == {
        "NPAC": Flag.NEVER, "NPICC": Flag.APOLOGIES_ONLY, "BTP": Flag.BELOW, "MDP": Flag.BELOW,
        "NCA": None,
    }  # fmt: skip


def test_guidance_compliance_counts_readers_refusals_threats_and_times(report: Report) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(render_workbook(report)))["Guidance compliance"]
    assert ws.cell(1, 1).value == "Guidance compliance, October to December 2026 (2026-Q4)"
    assert "published 05/10/2026" in ws.cell(2, 1).value
    rows = table(ws)
    assert list(rows) == ["BTP", "MDP", "NCA", "NPAC", "NPICC", ""]
    btp, npicc, nobody = rows["BTP"], rows["NPICC"], rows[""]
    assert (btp["Members"], btp["Acknowledged the current guidance"]) == (2, 1)
    assert btp["Share acknowledged"] == 0.5
    assert (btp["Updates recorded"], btp["Updates refused"]) == (2, 3)  # January's is not Q4's
    unknown, window = (label(REFUSAL_LABELS, code) for code in ("unknown_threat", "window"))
    assert btp["Commonest reasons refused"] == f"{unknown} (2); {window} (1)"
    assert (btp["Naming a threat"], btp["Share naming a threat"]) == (2, 1)
    timed = (btp["Events and plans"], btp["Giving a time"], btp["Share giving a time"])
    assert timed == (2, 1, 0.5)
    assert (npicc["Members"], npicc["Acknowledged the current guidance"]) == (1, 0)
    assert npicc["Share naming a threat"] is None  # no updates: no share, not 0%
    assert nobody["Body"] == "People who speak for no body" and nobody["Updates refused"] == 1


def test_a_quarter_is_titled_in_words_everywhere(report: Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(report)))
    for ws in book.worksheets:
        assert ws.oddHeader.right.text == "October to December 2026 (2026-Q4)"
        assert ws.oddHeader.center.text == "&BOFFICIAL-SENSITIVE"
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.oddFooter.left.text == "Generated 04/01/2027 12:00 GMT"
        assert ws.print_title_rows and ws.page_setup.orientation == "landscape"
    attendance = book["Attendance"]
    assert attendance.cell(1, 1).value.endswith("October to December 2026 (2026-Q4)")
    assert attendance.page_setup.fitToWidth > 1  # 66 days do not fit one page across


def test_the_review_workbook_opens_at_the_review(report: Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(report, first="Membership review")))
    assert book.sheetnames[0] == "Membership review" and book.active.title == "Membership review"
    assert book.sheetnames[1:] == ["Attendance", "Updates", "Guidance compliance", "Summary"]
