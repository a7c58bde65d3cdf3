"""What every sheet shares: headings, the generation time, and the printed page's furniture."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meeting.report import Report
from meeting.xlsx import (
    HEADING,
    PERCENT,
    TITLE,
    Pages,
    Sheet,
    Style,
    Styled,
    print_pages,
    write_sheet,
)


def headings(values: Iterable[str]) -> list[Styled]:
    """A row of column headings."""
    return [Styled(value, HEADING) for value in values]


def title(text: str) -> list[Styled]:
    """A sheet's title row."""
    return [Styled(text, TITLE)]


def generated(report: Report) -> str:
    """When the workbook was made, like "25/12/2026 12:00 GMT"."""
    at = report.generated.astimezone(report.zone)
    return f"{at:%d/%m/%Y %H:%M} {at:%Z}"


def share(part: int, whole: int, style: Style = PERCENT) -> Styled | None:
    """part / whole as a percentage cell; empty when there is no whole."""
    return Styled(part / whole, style) if whole else None


def write(
    wb: Any,
    sheet: Sheet,
    report: Report,
    *,
    title_rows: str,
    title_cols: str | None = None,
) -> Any:
    """Write a sheet and set it up to print with the marking, the period and page numbers."""
    ws = write_sheet(wb, sheet)
    pages = Pages(
        marking=report.marking,
        heading=f"Daily Briefing Meeting: {sheet.title}",
        period=report.period.title,
        generated=generated(report),
    )
    across = sheet.pages_across()
    print_pages(ws, pages, title_rows=title_rows, title_cols=title_cols, across=across)
    return ws
