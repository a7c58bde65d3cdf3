"""The weekly attendance workbook: Attendance, Updates and Summary sheets, as .xlsx bytes.

Excel has no time zones, so every date-time is written as a naive UK local time with a number
format; user text is always a string cell, never a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session, col, select

from meeting.calendar import local_date
from meeting.roster import bodies_by_id
from meeting.week import LABELS, Grid, IsoWeek, Mark, Tally, load_grid
from meeting.xlsx import (
    BOLD,
    DATE,
    DATE_TIME,
    DAY,
    PERCENT,
    TITLE,
    fit_and_print,
    local,
    put,
    rate_chart,
)
from storage.models import Update

COLOURS = {
    Mark.PRESENT: "C6EFCE",
    Mark.NIL: "DDEBF7",
    Mark.APOLOGIES: "FFEB9C",
    Mark.ABSENT: "FFC7CE",
    Mark.NOT_RECORDED: "FCE4D6",
    Mark.NOT_INVITED: "EDEDED",
    Mark.NO_MEETING: "BFBFBF",
}
HIGHLIGHT = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
HEADER_ROW, NOTE_ROW, FIRST_BODY_ROW = 4, 5, 6
TOTAL_HEADINGS = ("Expected", "Present", "Nil return", "Apologies", "Absent", "Not recorded")
KINDS = {"event": "Significant event", "plan": "Operational plan", "demand": "Urgent demand"}
UPDATE_HEADINGS = (
    "Briefing", "Posted", "Occurs", "Body", "Kind", "Threats", "Location", "Summary",
    "Marking", "Author", "Status", "Late", "Demand status",
)  # fmt: skip


@dataclass(frozen=True)
class Report:
    """Everything the workbook shows, already loaded."""

    label: str
    grid: Grid
    updates: list[Update]
    codes: dict[int, str]
    briefing_days: dict[int, date]
    zone: ZoneInfo
    generated: datetime


def _tally_values(totals: Tally) -> list[Any]:
    counts = [totals.meetings, totals.present, totals.nil, totals.apologies, totals.absent]
    return [*counts, totals.not_recorded, totals.attended, totals.rate]


def _day_note(report: Report, index: int) -> str:
    column = report.grid.days[index]
    if column.held:
        return "Extra session" if column.extra else "Briefing"
    return f"No meeting: {column.reason}"


def _attendance(ws: Any, report: Report) -> None:
    grid, zone = report.grid, report.zone
    ws.title = "Attendance"
    put(ws, 1, 1, f"Daily Briefing Meeting attendance, week {report.label}").font = TITLE
    put(ws, 2, 1, f"Dates are UK local time ({zone.key}). Generated")
    put(ws, 2, 2, local(report.generated, zone), DATE_TIME)
    headings = ["Code", "Body"] + [""] * len(grid.days) + [*TOTAL_HEADINGS, "Attended", "Rate"]
    for index, heading in enumerate(headings, start=1):
        put(ws, HEADER_ROW, index, heading).font = BOLD
    put(ws, NOTE_ROW, 1, "Meeting").font = BOLD
    for index, column in enumerate(grid.days):
        put(ws, HEADER_ROW, 3 + index, column.day, DAY).font = BOLD
        put(ws, NOTE_ROW, 3 + index, _day_note(report, index))
    for offset, row in enumerate(grid.rows):
        at = FIRST_BODY_ROW + offset
        put(ws, at, 1, row.code)
        put(ws, at, 2, row.name)
        for index, mark in enumerate(row.marks):
            put(ws, at, 3 + index, LABELS[mark])
        for index, value in enumerate(_tally_values(row.totals)):
            put(ws, at, 3 + len(grid.days) + index, value, PERCENT if index == 7 else None)
    _day_totals(ws, report)
    _colour(ws, report)
    ws.freeze_panes = ws.cell(row=FIRST_BODY_ROW, column=3).coordinate


def _day_totals(ws: Any, report: Report) -> None:
    grid = report.grid
    overall_row = FIRST_BODY_ROW + len(grid.rows)
    put(ws, overall_row, 2, "All bodies").font = BOLD
    for index, value in enumerate(_tally_values(grid.overall)):
        column = 3 + len(grid.days) + index
        put(ws, overall_row, column, value, PERCENT if index == 7 else None).font = BOLD
    first = overall_row + 2
    for offset, label in enumerate([*TOTAL_HEADINGS, "Attended", "Attendance rate"]):
        put(ws, first + offset, 2, label).font = BOLD
        for index, totals in enumerate(grid.per_day):
            if grid.days[index].held:
                value = _tally_values(totals)[offset]
                put(ws, first + offset, 3 + index, value, PERCENT if offset == 7 else None)
    legend = first + 9
    put(ws, legend, 1, "Legend").font = BOLD
    for offset, mark in enumerate(Mark):
        cell = put(ws, legend + 1 + offset, 1, LABELS[mark])
        cell.fill = PatternFill("solid", start_color=COLOURS[mark], end_color=COLOURS[mark])


def _colour(ws: Any, report: Report) -> None:
    grid = report.grid
    last_row = FIRST_BODY_ROW + max(len(grid.rows), 1) - 1
    if grid.days:
        cells = f"C{FIRST_BODY_ROW}:{get_column_letter(2 + len(grid.days))}{last_row}"
        for mark, colour in COLOURS.items():
            fill = PatternFill("solid", start_color=colour, end_color=colour, bgColor=colour)
            rule = CellIsRule(operator="equal", formula=[f'"{LABELS[mark]}"'], fill=fill)
            ws.conditional_formatting.add(cells, rule)
    rate = get_column_letter(3 + len(grid.days) + 7)
    ws.conditional_formatting.add(
        f"{rate}{FIRST_BODY_ROW}:{rate}{last_row}",
        ColorScaleRule(
            start_type="num", start_value=0, start_color="F8696B",
            end_type="num", end_value=1, end_color="63BE7B",
        ),
    )  # fmt: skip


def _update_row(update: Update, report: Report) -> list[Any]:
    summary = update.summary or ""
    if update.text_purged_at is not None:
        summary = "(text removed under the retention rule)"
    return [
        report.briefing_days.get(update.briefing_id),
        local(update.created_at, report.zone),
        local(update.occurs_at, report.zone),
        report.codes.get(update.body_id, "?"),
        KINDS.get(update.kind, update.kind),
        update.threats,
        update.location or "",
        summary,
        update.marking,
        update.author_id,
        update.status,
        "Yes" if update.late else "",
        update.demand_status or "",
    ]


def _updates(ws: Any, report: Report) -> None:
    ws.title = "Updates"
    for index, heading in enumerate(UPDATE_HEADINGS, start=1):
        put(ws, 1, index, heading).font = BOLD
    formats = {1: DATE, 2: DATE_TIME, 3: DATE_TIME}
    for row, update in enumerate(report.updates, start=2):
        for column, value in enumerate(_update_row(update, report), start=1):
            put(ws, row, column, value, formats.get(column) if value is not None else None)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(UPDATE_HEADINGS))}{len(report.updates) + 1}"


def _summary(ws: Any, report: Report) -> None:
    grid, zone, totals = report.grid, report.zone, report.grid.overall
    ws.title = "Summary"
    put(ws, 1, 1, f"Summary, week {report.label}").font = TITLE
    put(ws, 2, 1, "Highlighted below: bodies absent from every briefing they were invited to.")
    held = [d for d in grid.days if d.held]
    without = "; ".join(f"{d.day:%a %d/%m}: {d.reason}" for d in grid.days if not d.held)
    facts: list[tuple[str, Any, str | None]] = [
        ("Week", report.label, None),
        ("From", grid.start, DATE),
        ("To", grid.end, DATE),
        ("Time zone", f"{zone.key} (UK local time)", None),
        ("Generated", local(report.generated, zone), DATE_TIME),
        ("Briefings held", len(held), None),
        ("Of which extra sessions", sum(1 for d in held if d.extra), None),
        ("Weekdays without a meeting", without or "none", None),
        ("Bodies", len(grid.rows), None),
        *zip(
            (*TOTAL_HEADINGS, "Attended", "Attendance rate"),
            _tally_values(totals),
            (None,) * 7 + (PERCENT,),
            strict=True,
        ),
    ]
    for row, (label, value, number_format) in enumerate(facts, start=3):
        put(ws, row, 1, label).font = BOLD
        put(ws, row, 2, value, number_format)
    _body_table(ws, report, first=3 + len(facts))


def _body_table(ws: Any, report: Report, *, first: int) -> None:
    headings = ("Code", "Body", "Expected", "Attended", "Apologies", "Absent", "Rate")
    for column, heading in enumerate((*headings, "Absent at every meeting"), start=1):
        put(ws, first + 1, column, heading).font = BOLD
    for offset, row in enumerate(report.grid.rows, start=first + 2):
        t = row.totals
        values = [row.code, row.name, t.meetings, t.attended, t.apologies, t.absent, t.rate]
        values.append("Yes" if row.absent_every_meeting else "")
        for column, value in enumerate(values, start=1):
            cell = put(ws, offset, column, value, PERCENT if column == 7 else None)
            if row.absent_every_meeting:
                cell.fill, cell.font = HIGHLIGHT, BOLD
    if report.grid.rows:
        rate_chart(ws, header_row=first + 1, count=len(report.grid.rows), anchor="J3")


def _properties(wb: Any, report: Report) -> None:
    generated = f"{local(report.generated, report.zone):%d/%m/%Y %H:%M} {report.zone.key}"
    note = (
        f"Daily Briefing Meeting attendance for week {report.label} "
        f"({report.grid.start:%d/%m/%Y} to {report.grid.end:%d/%m/%Y}). Times are UK local time "
        f"({report.zone.key}). Generated {generated}."
    )
    wb.properties.title = f"DBM attendance {report.label}"
    wb.properties.subject, wb.properties.description = "Daily Briefing Meeting attendance", note
    wb.properties.creator, wb.properties.keywords = "dbm-bot", report.label
    wb.properties.created = report.generated.astimezone(UTC).replace(tzinfo=None)
    wb.properties.modified = wb.properties.created
    for name, value in (("Week", report.label), ("Time zone", report.zone.key)):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    wb.custom_doc_props.append(StringProperty(name="Generated", value=generated))


def render_workbook(report: Report) -> bytes:
    """The .xlsx bytes of a loaded report."""
    wb = Workbook()
    attendance = wb.active
    _attendance(attendance, report)
    _updates(wb.create_sheet(), report)
    _summary(wb.create_sheet(), report)
    fit_and_print(
        attendance, title_rows=f"{HEADER_ROW}:{NOTE_ROW}", title_cols="A:B", from_row=HEADER_ROW
    )
    fit_and_print(wb["Updates"], title_rows="1:1")
    fit_and_print(wb["Summary"], title_rows="1:2", from_row=3)
    _properties(wb, report)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def load_report(
    *,
    session: Session,
    start: date,
    end: date,
    label: str,
    channel: str | None,
    calendar: str,
    zone: ZoneInfo,
    now: datetime,
) -> Report:
    """Load the grid and the updates of a period in a handful of queries."""
    grid = load_grid(
        session=session,
        start=start,
        end=end,
        channel=channel,
        calendar=calendar,
        today=local_date(now, zone),
    )
    ids = grid.briefing_ids
    query = (
        select(Update)
        .where(col(Update.briefing_id).in_(ids))
        .order_by(col(Update.created_at), col(Update.id))
    )
    updates = list(session.exec(query))
    codes = {i: b.code for i, b in bodies_by_id(session=session).items()}
    days = {d.briefing_id: d.day for d in grid.days if d.briefing_id is not None}
    return Report(label, grid, updates, codes, days, zone, now)


def build_workbook(
    *,
    session: Session,
    week: IsoWeek,
    channel: str | None,
    calendar: str,
    zone: ZoneInfo,
    now: datetime,
) -> bytes:
    """The attendance workbook of an ISO week, as .xlsx bytes."""
    report = load_report(
        session=session,
        start=week.monday,
        end=week.sunday,
        label=week.label,
        channel=channel,
        calendar=calendar,
        zone=zone,
        now=now,
    )
    return render_workbook(report)
