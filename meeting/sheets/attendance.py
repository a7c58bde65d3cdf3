"""The Attendance sheet: each body's roll call day by day, with totals and rates."""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from meeting.report import Report
from meeting.sheets.common import generated, headings, title, write
from meeting.week import LABELS, Mark, Tally
from meeting.xlsx import BOLD, BOLD_PERCENT, DAY, NOTE, PERCENT, Sheet, Style, Styled

COLOURS = {
    Mark.PRESENT: "C6EFCE",
    Mark.NIL: "DDEBF7",
    Mark.APOLOGIES: "FFEB9C",
    Mark.ABSENT: "FFC7CE",
    Mark.NOT_RECORDED: "FCE4D6",
    Mark.NOT_INVITED: "EDEDED",
    Mark.NO_MEETING: "BFBFBF",
}
LEGEND = {mark: Style(f"DBM {LABELS[mark].lower()}", fill=COLOURS[mark]) for mark in COLOURS}
HEADER_ROW, NOTE_ROW, FIRST_BODY_ROW = 4, 5, 6
TOTAL_HEADINGS = ("Expected", "Present", "Nil return", "Apologies", "Absent", "Not recorded")
SHEET = "Attendance"


def tally_cells(totals: Tally, *, bold: bool = False) -> list[Any]:
    """Expected, present, nil, apologies, absent, not recorded, attended, and the rate."""
    counts = [totals.meetings, totals.present, totals.nil, totals.apologies, totals.absent]
    counts += [totals.not_recorded, totals.attended]
    cells: list[Any] = [Styled(count, BOLD) if bold else count for count in counts]
    percent = BOLD_PERCENT if bold else PERCENT
    return [*cells, None if totals.rate is None else Styled(totals.rate, percent)]


def _day_note(report: Report, index: int) -> Styled:
    column = report.grid.days[index]
    if column.held:
        return Styled("Extra session" if column.extra else "Briefing", NOTE)
    return Styled(f"No meeting: {column.reason}", NOTE)


def _grid(sheet: Sheet, report: Report) -> None:
    grid = report.grid
    days = [Styled(column.day, DAY) for column in grid.days]
    totals = headings([*TOTAL_HEADINGS, "Attended", "Rate"])
    sheet.append([*headings(["Code", "Body"]), *days, *totals])
    notes = [_day_note(report, index) for index in range(len(grid.days))]
    sheet.append([Styled("Meeting", BOLD), None, *notes])
    for row in grid.rows:
        marks = [LABELS[mark] for mark in row.marks]
        sheet.append([row.code, row.name, *marks, *tally_cells(row.totals)])


def _day_totals(sheet: Sheet, report: Report) -> None:
    grid = report.grid
    overall = tally_cells(grid.overall, bold=True)
    sheet.append([None, Styled("All bodies", BOLD), *[None] * len(grid.days), *overall])
    per_day = [
        tally_cells(totals) if day.held else None
        for day, totals in zip(grid.days, grid.per_day, strict=True)
    ]
    for offset, label in enumerate([*TOTAL_HEADINGS, "Attended", "Attendance rate"]):
        values = [None if cells is None else cells[offset] for cells in per_day]
        gap = 2 if offset == 0 else 1
        sheet.append([None, Styled(label, BOLD), *values], row=sheet.last_row + gap)
    sheet.append([Styled("Legend", BOLD)], row=sheet.last_row + 2)
    for mark in Mark:
        sheet.append([Styled(LABELS[mark], LEGEND[mark])])


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


def add_attendance(wb: Any, report: Report) -> Any:
    """The Attendance sheet."""
    sheet = Sheet(SHEET, measure_from=HEADER_ROW, freeze=f"C{FIRST_BODY_ROW}")
    sheet.append(title(f"Daily Briefing Meeting attendance, {report.period.title}"))
    columns = 2 + len(report.grid.days) + len(TOTAL_HEADINGS) + 2
    sheet.note(
        f"Dates and times are UK local time ({report.zone.key}). Generated {generated(report)}. "
        "Attended counts present and nil returns; the rate is attended out of expected.",
        columns=min(columns, 12),
    )
    sheet.append([], row=HEADER_ROW - 1)
    _grid(sheet, report)
    _day_totals(sheet, report)
    ws = write(wb, sheet, report, title_rows=f"{HEADER_ROW}:{NOTE_ROW}", title_cols="A:B")
    _colour(ws, report)
    return ws
