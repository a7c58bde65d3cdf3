"""The Updates sheet: every update of the period, in words, its author named with their body."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from meeting.labels import DEMAND_STATUS_LABELS, KIND_LABELS, UPDATE_STATUS_LABELS, label
from meeting.report import Report
from meeting.sheets.common import headings, write
from meeting.update_view import UpdateView
from meeting.xlsx import DATE, DATE_TIME, WRAP, Sheet, Styled, local

HEADINGS = (
    "Briefing", "Posted", "Occurs", "Body", "Kind", "Threats", "Location", "Summary",
    "Marking", "Author", "Status", "Late", "Demand status",
)  # fmt: skip
SUMMARY = HEADINGS.index("Summary") + 1
PURGED = "(text removed under the retention rule)"
SHEET = "Updates"


def author_label(name: str, code: str) -> str:
    """ "Name (BODY)", without doubling a body already in the name (e.g. "Lucy (MPS)")."""
    suffix = f"({code})"
    return name if name.endswith(suffix) else f"{name} {suffix}"


def _row(update: UpdateView, report: Report) -> list[Any]:
    summary = PURGED if update.text_purged_at is not None else update.summary
    day = report.briefing_days.get(update.briefing_id)
    occurs = local(update.occurs_at, report.zone)
    code = update.body_code
    return [
        None if day is None else Styled(day, DATE),
        Styled(local(update.created_at, report.zone), DATE_TIME),
        None if occurs is None else Styled(occurs, DATE_TIME),
        code,
        label(KIND_LABELS, update.kind),
        ", ".join(update.threats),
        update.location or "",
        Styled(summary, WRAP),
        update.marking,
        author_label(report.name(update.author_id), code),
        label(UPDATE_STATUS_LABELS, update.status),
        "Yes" if update.late else "",
        label(DEMAND_STATUS_LABELS, update.demand_status),
    ]


def add_updates(wb: Any, report: Report) -> Any:
    """The Updates sheet (headings in row 1, filtered and frozen there)."""
    sheet = Sheet(SHEET, freeze="A2", fixed_widths={SUMMARY: 60})
    sheet.append(headings(HEADINGS))
    for update in report.updates:
        sheet.append(_row(update, report))
    ws = write(wb, sheet, report, title_rows="1:1")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADINGS))}{len(report.updates) + 1}"
    return ws
