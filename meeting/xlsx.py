"""Excel sheets through openpyxl's public API: write-only worksheets and named styles, safe text,
UK local date-times, fitted widths, and pages that print with the protective marking.

A write-only sheet writes its column widths before its first row, so a sheet's rows are gathered
(and measured) in a `Sheet` first and written out in one go by `write_sheet`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

MAX_CELL = 32767
# Excel (and LibreOffice) would read text starting with these as a formula when edited.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot carry: most control characters, lone surrogates, two non-characters.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DATE_WIDTH, MAX_WIDTH, LINE_HEIGHT = 16, 60, 15.0


@dataclass(frozen=True)
class Style:
    """A named cell style: bold or a bigger font, a fill colour, a number format, wrapped text."""

    name: str
    bold: bool = False
    italic: bool = False
    size: int | None = None
    fill: str | None = None
    number_format: str = "General"
    wrap: bool = False
    rule_below: bool = False
    centred: bool = False

    def named(self) -> NamedStyle:
        """The openpyxl NamedStyle of this style."""
        style = NamedStyle(name=self.name, number_format=self.number_format)
        style.font = Font(name="Calibri", bold=self.bold, italic=self.italic, size=self.size or 11)
        if self.fill:
            style.fill = PatternFill("solid", start_color=self.fill, end_color=self.fill)
        if self.wrap or self.centred:
            style.alignment = Alignment(
                wrap_text=self.wrap, horizontal="center" if self.centred else None
            )
        if self.rule_below:
            style.border = Border(bottom=Side(style="thin"))
        return style


BOLD = Style("DBM bold", bold=True)
TITLE = Style("DBM title", bold=True, size=14)
HEADING = Style("DBM heading", bold=True, wrap=True, fill="D9E1F2", rule_below=True)
NOTE = Style("DBM note", italic=True, wrap=True)
WRAP = Style("DBM wrapped", wrap=True)
DATE = Style("DBM date", number_format="dd/mm/yyyy", centred=True)
CENTRED = Style("DBM centred", centred=True)
DATE_TIME = Style("DBM date and time", number_format="dd/mm/yyyy hh:mm")
DAY = Style(
    "DBM day", bold=True, number_format="ddd dd/mm/yyyy", fill="D9E1F2", rule_below=True,
    centred=True,
)  # fmt: skip
PERCENT = Style("DBM per cent", number_format="0%")
BOLD_PERCENT = Style("DBM bold per cent", bold=True, number_format="0%")
FLAGGED = Style("DBM flagged", bold=True, fill="FFC7CE")
FLAGGED_PERCENT = Style("DBM flagged per cent", bold=True, fill="FFC7CE", number_format="0%")


class Styled(NamedTuple):
    """A cell value shown in a style other than plain."""

    value: Any
    style: Style


def local(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware instant as a naive UK local date-time for Excel."""
    return None if at is None else at.astimezone(zone).replace(tzinfo=None)


def safe_text(value: str) -> str:
    """Text a cell can hold: unwritable characters dropped, cut to Excel's cell limit."""
    return UNWRITABLE.sub("", value)[:MAX_CELL]


def _shown_width(value: Any, style: Style | None) -> int:
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | float):
        percent = style is not None and style.number_format.endswith("%")
        return len(f"{value:.0%}" if percent else str(value))
    return DATE_WIDTH if isinstance(value, date) else 0


@dataclass
class Sheet:
    """A worksheet's rows gathered top to bottom, measuring what each column shows; wrapped
    text is not measured but given the height it needs once the widths are known."""

    title: str
    measure_from: int = 1
    freeze: str | None = None
    fixed_widths: dict[int, int] = field(default_factory=dict)
    rows: list[Sequence[Any]] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)
    wrapped: list[tuple[int, int, str, int]] = field(default_factory=list)  # row, col, text, span
    merged: list[tuple[int, int]] = field(default_factory=list)  # row, columns from A
    styles: set[Style] = field(default_factory=set)

    @property
    def last_row(self) -> int:
        """The number of the last row written (0 before any)."""
        return len(self.rows)

    def append(self, values: Sequence[Any], *, row: int | None = None) -> int:
        """Add values from column A in the next row (or a later `row`); return its number."""
        row = self.last_row + 1 if row is None else row
        if row <= self.last_row:
            raise ValueError(f"row {row} is above rows already written")
        self.rows.extend([[]] * (row - self.last_row - 1))
        self.rows.append(values)
        for column, value in enumerate(values, start=1):
            shown, style = (value.value, value.style) if type(value) is Styled else (value, None)
            if style is not None:
                self.styles.add(style)
            wrapped = style is not None and style.wrap and isinstance(shown, str)
            if wrapped:
                self.wrapped.append((row, column, shown, 1))
            if row >= self.measure_from:
                # wrapped text breaks between words: its column need only fit the longest word
                size = max(map(len, shown.split()), default=0) if wrapped else None
                size = _shown_width(shown, style) if size is None else size
                if size > self.widths.get(column, 0):
                    self.widths[column] = size
        return row

    def note(self, text: str, *, columns: int, style: Style = NOTE) -> int:
        """A note merged across the table's `columns` and wrapped, so none of it is cut off."""
        self.rows.append([Styled(text, style)])
        self.styles.add(style)
        row, span = self.last_row, max(columns, 1)
        self.wrapped.append((row, 1, text, span))
        self.merged.append((row, span))
        return row

    def width(self, column: int) -> int:
        """The width a column is given: fixed, or fitted to what it shows."""
        fixed = self.fixed_widths.get(column)
        if fixed is not None:
            return fixed
        return min(max(self.widths.get(column, 0) + 2, 8), MAX_WIDTH)

    def heights(self) -> dict[int, float]:
        """The height of each row holding wrapped text, from the columns' widths."""
        heights: dict[int, float] = {}
        for row, column, text, span in self.wrapped:
            width = sum(self.width(c) for c in range(column, column + span))
            heights[row] = max(heights.get(row, LINE_HEIGHT), _lines(text, width) * LINE_HEIGHT)
        return heights

    def pages_across(self, *, per_page: int = 330) -> int:
        """How many landscape pages wide the sheet prints, to stay readable."""
        total = sum(self.width(column) for column in set(self.widths) | set(self.fixed_widths))
        return max(1, math.ceil(total / per_page))


def _lines(text: str, width: int) -> int:
    per_line = max(width - 1, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.splitlines() or [""])


def _cell(ws: Any, value: Any) -> Any:
    """A value to append: plain values as they are, styled or formula-like text as a cell."""
    style = None
    if type(value) is Styled:
        value, style = value
    quoted = False
    if isinstance(value, str):
        value = safe_text(value)
        quoted = value.startswith(FORMULA_START)
    if style is None and not quoted:
        return None if value == "" else value  # an empty cell is no cell at all
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise TypeError("Excel has no time zones: write local() date-times")
    cell = WriteOnlyCell(ws, value)
    if style is not None:
        cell.style = style.name
    if quoted:
        cell.data_type = "s"  # text, never a formula, and quoted so editing keeps it text
        cell.quotePrefix = True
    return cell


def add_styles(wb: Any, styles: Iterable[Style]) -> None:
    """Register named styles with a workbook (each once)."""
    known = set(wb.named_styles)
    for style in styles:
        if style.name not in known:
            wb.add_named_style(style.named())
            known.add(style.name)


def write_sheet(wb: Any, sheet: Sheet) -> Any:
    """A write-only worksheet holding the sheet's rows, with widths, heights and merges set."""
    add_styles(wb, sheet.styles)
    ws = wb.create_sheet(sheet.title)
    for column in set(sheet.widths) | set(sheet.fixed_widths):
        ws.column_dimensions[get_column_letter(column)].width = sheet.width(column)
    for row, height in sheet.heights().items():
        ws.row_dimensions[row].height = height
    for row, span in sheet.merged:
        ws.merged_cells.add(f"A{row}:{get_column_letter(span)}{row}")
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # written with the first row: set it now
    for values in sheet.rows:
        ws.append([_cell(ws, value) for value in values])
    return ws


def _escape(text: str) -> str:
    return text.replace("&", "&&")


@dataclass(frozen=True)
class Pages:
    """What every printed page of a sheet shows besides its cells."""

    marking: str
    heading: str  # top left: what the sheet is
    period: str  # top right: the period in words
    generated: str  # bottom left


def print_pages(
    ws: Any, pages: Pages, *, title_rows: str, title_cols: str | None = None, across: int = 1
) -> None:
    """Landscape A4, `across` pages wide; the marking centred at the top and bottom of every page,
    the generation time and "Page N of M" in the footer; title rows repeated on each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = across, 0
    ws.oddHeader.left.text = _escape(pages.heading)
    ws.oddHeader.center.text = f"&B{_escape(pages.marking)}"
    ws.oddHeader.right.text = _escape(pages.period)
    ws.oddFooter.left.text = _escape(f"Generated {pages.generated}")
    ws.oddFooter.center.text = f"&B{_escape(pages.marking)}"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def page_break_after(ws: Any, row: int) -> None:
    """Start a new printed page after a row (so a chart below a table is printed whole)."""
    ws.row_breaks.append(Break(id=row))
