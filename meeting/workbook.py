"""The weekly attendance workbook: Attendance, Updates and Summary sheets, as .xlsx bytes.

Excel has no time zones, so every date-time is written as a naive UK local time with a number
format; user text is always a string cell, never a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session, col

from meeting.calendar import local_date
from meeting.labels import KIND_LABELS
from meeting.roster import bodies_by_id
from meeting.week import LABELS, Grid, IsoWeek, Mark, Tally, load_grid
from meeting.xlsx import (
    BOLD,
    BOLD_PERCENT,
    DATE,
    DATE_TIME,
    DAY,
    PERCENT,
    PLAIN,
    TITLE,
    SheetRows,
    Style,
    StyleBook,
    Styled,
    fit_and_print,
    local,
    rate_chart,
    splice,
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
HIGHLIGHT = Style(bold=True, fill="FFC7CE")
HIGHLIGHT_PERCENT = Style(bold=True, fill="FFC7CE", number_format=PERCENT.number_format)
HEADER_ROW, NOTE_ROW, FIRST_BODY_ROW = 4, 5, 6
TOTAL_HEADINGS = ("Expected", "Present", "Nil return", "Apologies", "Absent", "Not recorded")
UPDATE_HEADINGS = (
    "Briefing", "Posted", "Occurs", "Body", "Kind", "Threats", "Location", "Summary",
    "Marking", "Author", "Status", "Late", "Demand status",
)  # fmt: skip
SHEETS = ("Attendance", "Updates", "Summary")


class UpdateLine(NamedTuple):
    """The columns of an update that the Updates sheet shows (no ORM objects: a year is 10k)."""

    briefing_id: int
    created_at: datetime
    occurs_at: datetime | None
    body_id: int
    kind: str
    threats: list[str]
    location: str | None
    summary: str | None
    marking: str
    author_id: str
    status: str
    late: bool
    demand_status: str | None
    text_purged_at: datetime | None


@dataclass(frozen=True)
class Report:
    """Everything the workbook shows, already loaded."""

    label: str
    grid: Grid
    updates: list[UpdateLine]
    codes: dict[int, str]
    briefing_days: dict[int, date]
    zone: ZoneInfo
    generated: datetime
    authors: dict[str, str] = field(default_factory=dict)  # Slack id -> name, where known


def _tally_cells(totals: Tally, *, bold: bool = False) -> list[Any]:
    counts = [totals.meetings, totals.present, totals.nil, totals.apologies, totals.absent]
    counts += [totals.not_recorded, totals.attended]
    number, percent = (BOLD, BOLD_PERCENT) if bold else (PLAIN, PERCENT)
    rate = None if totals.rate is None else Styled(totals.rate, percent)
    return [*(Styled(count, number) for count in counts), rate]


def _bold(values: Any) -> list[Styled]:
    return [Styled(value, BOLD) for value in values]


def _day_note(report: Report, index: int) -> str:
    column = report.grid.days[index]
    if column.held:
        return "Extra session" if column.extra else "Briefing"
    return f"No meeting: {column.reason}"


def _attendance(ws: Any, report: Report, rows: SheetRows) -> None:
    grid, zone = report.grid, report.zone
    rows.append([Styled(f"Daily Briefing Meeting attendance, week {report.label}", TITLE)])
    generated = Styled(local(report.generated, zone), DATE_TIME)
    rows.append([f"Dates are UK local time ({zone.key}). Generated", generated])
    days = [Styled(column.day, DAY) for column in grid.days]
    headings = [*_bold(["Code", "Body"]), *days, *_bold([*TOTAL_HEADINGS, "Attended", "Rate"])]
    rows.append(headings, row=HEADER_ROW)
    notes = [_day_note(report, index) for index in range(len(grid.days))]
    rows.append([Styled("Meeting", BOLD), None, *notes])
    for row in grid.rows:
        marks = [LABELS[mark] for mark in row.marks]
        rows.append([row.code, row.name, *marks, *_tally_cells(row.totals)])
    _day_totals(report, rows)
    _colour(ws, report)
    ws.freeze_panes = f"C{FIRST_BODY_ROW}"


def _day_totals(report: Report, rows: SheetRows) -> None:
    grid = report.grid
    overall = _tally_cells(grid.overall, bold=True)
    rows.append([None, Styled("All bodies", BOLD), *[None] * len(grid.days), *overall])
    per_day = [
        _tally_cells(totals) if day.held else None
        for day, totals in zip(grid.days, grid.per_day, strict=True)
    ]
    for offset, label in enumerate([*TOTAL_HEADINGS, "Attended", "Attendance rate"]):
        values = [None if cells is None else cells[offset] for cells in per_day]
        gap = 2 if offset == 0 else 1
        rows.append([None, Styled(label, BOLD), *values], row=rows.last_row + gap)
    rows.append([Styled("Legend", BOLD)], row=rows.last_row + 2)
    for mark in Mark:
        rows.append([Styled(LABELS[mark], Style(fill=COLOURS[mark]))])


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


def _update_row(update: UpdateLine, report: Report) -> list[Any]:
    summary = update.summary or ""
    if update.text_purged_at is not None:
        summary = "(text removed under the retention rule)"
    day = report.briefing_days.get(update.briefing_id)
    occurs = local(update.occurs_at, report.zone)
    return [
        None if day is None else Styled(day, DATE),
        Styled(local(update.created_at, report.zone), DATE_TIME),
        None if occurs is None else Styled(occurs, DATE_TIME),
        report.codes.get(update.body_id, "?"),
        KIND_LABELS.get(update.kind, update.kind),
        ", ".join(update.threats or ()),
        update.location or "",
        summary,
        update.marking,
        report.authors.get(update.author_id, update.author_id),
        update.status,
        "Yes" if update.late else "",
        update.demand_status or "",
    ]


def _updates(ws: Any, report: Report, rows: SheetRows) -> None:
    rows.append(_bold(UPDATE_HEADINGS))
    for update in report.updates:
        rows.append(_update_row(update, report))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(UPDATE_HEADINGS))}{len(report.updates) + 1}"


def _summary(ws: Any, report: Report, rows: SheetRows) -> None:
    grid, zone, totals = report.grid, report.zone, report.grid.overall
    rows.append([Styled(f"Summary, week {report.label}", TITLE)])
    rows.append(["Highlighted below: bodies absent from every briefing they were invited to."])
    held = [d for d in grid.days if d.held]
    without = "; ".join(f"{d.day:%a %d/%m}: {d.reason}" for d in grid.days if not d.held)
    facts: list[tuple[str, Any]] = [
        ("Week", report.label),
        ("From", Styled(grid.start, DATE)),
        ("To", Styled(grid.end, DATE)),
        ("Time zone", f"{zone.key} (UK local time)"),
        ("Generated", Styled(local(report.generated, zone), DATE_TIME)),
        ("Briefings held", len(held)),
        ("Of which extra sessions", sum(1 for d in held if d.extra)),
        ("Weekdays without a meeting", without or "none"),
        ("Bodies", len(grid.rows)),
        *zip((*TOTAL_HEADINGS, "Attended", "Attendance rate"), _tally_cells(totals), strict=True),
    ]
    for label, value in facts:
        rows.append([Styled(label, BOLD), value])
    _body_table(ws, report, rows)


def _body_table(ws: Any, report: Report, rows: SheetRows) -> None:
    headings = ("Code", "Body", "Expected", "Attended", "Apologies", "Absent", "Rate")
    header_row = rows.append(_bold((*headings, "Absent at every meeting")), row=rows.last_row + 2)
    for row in report.grid.rows:
        t, flagged = row.totals, row.absent_every_meeting
        values = [row.code, row.name, t.meetings, t.attended, t.apologies, t.absent]
        values.append("Yes" if flagged else "")
        style, percent = (HIGHLIGHT, HIGHLIGHT_PERCENT) if flagged else (PLAIN, PERCENT)
        cells: list[Styled | None] = [Styled(value, style) for value in values]
        cells.insert(6, None if t.rate is None else Styled(t.rate, percent))
        rows.append(cells)
    if report.grid.rows:
        rate_chart(ws, header_row=header_row, count=len(report.grid.rows), anchor="J3")


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
    """The .xlsx bytes of a loaded report: openpyxl lays out the book, cells go in one pass."""
    wb = Workbook(write_only=True)
    sheets = [wb.create_sheet(title) for title in SHEETS]
    styles = StyleBook(sheets[0])
    rows = [SheetRows(styles, measure_from=first) for first in (HEADER_ROW, 1, 3)]
    for write, ws, sheet_rows in zip((_attendance, _updates, _summary), sheets, rows, strict=True):
        write(ws, report, sheet_rows)
    fit_and_print(sheets[0], rows[0], title_rows=f"{HEADER_ROW}:{NOTE_ROW}", title_cols="A:B")
    fit_and_print(sheets[1], rows[1], title_rows="1:1")
    fit_and_print(sheets[2], rows[2], title_rows="1:2")
    _properties(wb, report)
    buffer = io.BytesIO()
    wb.save(buffer)  # numbers the sheets' parts, so their paths are known only now
    parts = {ws.path.lstrip("/"): r for ws, r in zip(sheets, rows, strict=True)}
    return splice(buffer.getvalue(), parts)


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
    query = (
        sqlalchemy.select(*(col(getattr(Update, name)) for name in UpdateLine._fields))
        .where(col(Update.briefing_id).in_(grid.briefing_ids))
        .order_by(col(Update.created_at), col(Update.id))
    )
    updates = [UpdateLine._make(row) for row in session.connection().execute(query).all()]
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
