"""Writing cells for Excel: safe text, UK local date-times, fitted widths, print setup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DATE_TIME = "dd/mm/yyyy hh:mm"
DATE = "dd/mm/yyyy"
DAY = "ddd dd/mm/yyyy"
PERCENT = "0%"
MAX_CELL = 32767
# Excel (and LibreOffice) would read text starting with these as a formula when edited.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def text(cell: Any, value: str) -> None:
    """Write user (or any) text as a string cell that can never become a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def local(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware instant as a naive UK local date-time for Excel."""
    return None if at is None else at.astimezone(zone).replace(tzinfo=None)


def put(ws: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Write a value (text safely) with an optional number format; return the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text(cell, value)
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def fit_and_print(
    ws: Any, *, title_rows: str, title_cols: str | None = None, from_row: int = 1
) -> None:
    """Fit column widths to contents (below the titles) and print landscape, one page wide."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=from_row):
        for cell in row:
            if cell.value is None:
                continue
            size = 16 if isinstance(cell.value, datetime | date) else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), size)
    for column, size in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(size + 2, 8), 60)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def rate_chart(ws: Any, *, header_row: int, count: int, anchor: str) -> None:
    """A native bar chart of column G (rates) by column A (codes) of a table under header_row."""
    chart = BarChart()
    chart.type, chart.style = "bar", 10
    chart.title = "Attendance rate by body"
    chart.y_axis.title, chart.y_axis.number_format = "Attendance rate", PERCENT
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.scaling.orientation = "maxMin"  # first body at the top, as in the table
    chart.legend = None
    data = Reference(ws, min_col=7, min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    chart.set_categories(categories)
    chart.height, chart.width = max(7.5, 0.5 * count + 2), 16
    ws.add_chart(chart, anchor)
