"""Excel sheets written in one pass: safe text, UK local date-times, fitted widths, print setup.

openpyxl lays out the package (styles, conditional formats, print setup, charts, properties), but
its per-cell objects and serialiser take seconds for a year of updates, so the cells themselves
are written here as sheet XML and spliced into the package openpyxl saved.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

MAX_CELL = 32767
# Excel (and LibreOffice) would read text starting with these as a formula when edited.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot carry: most control characters, lone surrogates, two non-characters.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")
# The worksheet elements a <dimension> goes before (it follows <sheetPr> in the schema's order).
AFTER_DIMENSION = re.compile(r"<(?:sheetViews|sheetFormatPr|cols|sheetData)[\s/>]")
DATE_WIDTH = 16


# eq=False: styles are looked up by identity, which is quicker per cell than hashing fields;
# equal styles made twice still share one id, because openpyxl merges equal style arrays.
@dataclass(frozen=True, eq=False)
class Style:
    """How a cell looks: bold or a bigger font, a solid fill colour, a number format."""

    bold: bool = False
    size: int | None = None
    fill: str | None = None
    number_format: str = "General"


PLAIN = Style()
BOLD = Style(bold=True)
TITLE = Style(bold=True, size=14)
DATE = Style(number_format="dd/mm/yyyy")
DATE_TIME = Style(number_format="dd/mm/yyyy hh:mm")
DAY = Style(bold=True, number_format="ddd dd/mm/yyyy")
PERCENT = Style(number_format="0%")
BOLD_PERCENT = Style(bold=True, number_format="0%")


class Styled(NamedTuple):
    """A cell value shown in a style other than plain."""

    value: Any
    style: Style


def local(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware instant as a naive UK local date-time for Excel."""
    return None if at is None else at.astimezone(zone).replace(tzinfo=None)


def safe_text(value: str) -> str:
    """Text an XML cell can hold: unwritable characters dropped, cut to Excel's cell limit."""
    return UNWRITABLE.sub("", value)[:MAX_CELL]


class StyleBook:
    """The workbook's style ids (the `s` of a cell), registered through openpyxl once each."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        self._ids: dict[tuple[Style, bool], str] = {(PLAIN, False): ""}

    def attribute(self, style: Style, *, quoted: bool = False) -> str:
        """` s="n"` for a cell in this style (quoted: text that is never read as a formula)."""
        found = self._ids.get((style, quoted))
        if found is None:
            cell = WriteOnlyCell(self._sheet)
            if style.bold or style.size:
                cell.font = Font(bold=style.bold, size=style.size)
            if style.fill:
                cell.fill = PatternFill("solid", start_color=style.fill, end_color=style.fill)
            cell.number_format = style.number_format
            cell.quotePrefix = quoted
            found = self._ids[(style, quoted)] = f' s="{cell.style_id}"'
        return found


class SheetRows:
    """A worksheet's cells as XML rows, appended top to bottom, measuring column widths."""

    def __init__(self, styles: StyleBook, *, measure_from: int = 1) -> None:
        self._styles, self._measure_from = styles, measure_from
        self._parts: list[str] = []
        self.last_row = self.last_column = self._last_filled = 0
        self.widths: dict[int, int] = {}

    def append(self, values: Sequence[Any], *, row: int | None = None) -> int:
        """Write values from column A in the next row (or a later `row`); return its number."""
        row = self.last_row + 1 if row is None else row
        if row <= self.last_row:
            raise ValueError(f"row {row} is above rows already written")
        self.last_row, measure, widths = row, row >= self._measure_from, self.widths
        cells, last = [], 0
        for column, value in enumerate(values, start=1):
            if value is None:
                continue
            style = PLAIN
            if type(value) is Styled:
                value, style = value
            ref = f"{get_column_letter(column)}{row}"
            if type(value) is str:
                xml, size = self._text(ref, value, style)
            else:
                xml, size = self._cell(ref, value, style)
            if xml:
                cells.append(xml)
                last = column
            if measure and size > widths.get(column, 0):
                widths[column] = size
        if cells:
            self._parts.append(f'<row r="{row}">{"".join(cells)}</row>')
            self.last_column, self._last_filled = max(self.last_column, last), row
        return row

    def _cell(self, ref: str, value: Any, style: Style) -> tuple[str, int]:
        if value is None or isinstance(value, str):
            return self._text(ref, value or "", style)
        if isinstance(value, bool):
            return f'<c r="{ref}"{self._styles.attribute(style)} t="b"><v>{value:d}</v></c>', 5
        if isinstance(value, int | float):
            shown = f"{value:.0%}" if style.number_format.endswith("%") else str(value)
            return f'<c r="{ref}"{self._styles.attribute(style)}><v>{value!r}</v></c>', len(shown)
        if isinstance(value, date):
            if isinstance(value, datetime) and value.tzinfo is not None:
                raise TypeError("Excel has no time zones: write local() date-times")
            serial = to_excel(value)
            return f'<c r="{ref}"{self._styles.attribute(style)}><v>{serial!r}</v></c>', DATE_WIDTH
        raise TypeError(f"cannot write a {type(value).__name__} to a cell")

    def _text(self, ref: str, value: str, style: Style) -> tuple[str, int]:
        """A string cell; one that starts like a formula is quoted, so it stays text."""
        value = safe_text(value)
        quoted = value.startswith(FORMULA_START)
        s = "" if style is PLAIN and not quoted else self._styles.attribute(style, quoted=quoted)
        if not value:
            return (f'<c r="{ref}"{s}/>' if s else ""), 0
        space = ' xml:space="preserve"' if value != value.strip() else ""
        cell = f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
        return cell, len(value)

    def fill(self, sheet: str) -> str:
        """A worksheet part saved write-only (empty sheetData, no dimension), filled with rows."""
        empty, first = EMPTY_SHEET_DATA.search(sheet), AFTER_DIMENSION.search(sheet)
        if empty is None or first is None or "<dimension" in sheet:
            raise ValueError("not a worksheet saved write-only with no rows")
        corner = f"{get_column_letter(self.last_column)}{self._last_filled}"
        dimension = f'<dimension ref="A1:{corner}"/>' if self._parts else '<dimension ref="A1"/>'
        rows = f"<sheetData>{''.join(self._parts)}</sheetData>"
        middle = sheet[first.start() : empty.start()]
        return f"{sheet[: first.start()]}{dimension}{middle}{rows}{sheet[empty.end() :]}"


def splice(package: bytes, sheets: Mapping[str, SheetRows]) -> bytes:
    """The saved package with the rows put into each named worksheet part's empty sheetData."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            rows = sheets.get(info.filename)
            if rows is not None:
                data = rows.fill(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def fit_and_print(
    ws: Any, rows: SheetRows, *, title_rows: str, title_cols: str | None = None
) -> None:
    """Fit column widths to the measured contents and print landscape, one page wide."""
    for column, size in rows.widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(size + 2, 8), 60)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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
    chart.y_axis.title, chart.y_axis.number_format = "Attendance rate", PERCENT.number_format
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.scaling.orientation = "maxMin"  # first body at the top, as in the table
    chart.legend = None
    data = Reference(ws, min_col=7, min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    chart.set_categories(categories)
    chart.height, chart.width = max(7.5, 0.5 * count + 2), 16
    ws.add_chart(chart, anchor)
