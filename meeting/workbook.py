"""The workbook of a period, as .xlsx bytes: Attendance, Updates, Membership review, Guidance
compliance and Summary sheets, written through openpyxl's public API (write-only mode).

Excel has no time zones, so every date-time is written as a naive UK local time with a number
format; user text is always a string cell, never a formula.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from sqlmodel import Session

from meeting.periods import Period
from meeting.report import Report, load_report
from meeting.sheets.attendance import add_attendance
from meeting.sheets.common import generated
from meeting.sheets.compliance import add_compliance
from meeting.sheets.review import add_review
from meeting.sheets.summary import add_summary
from meeting.sheets.updates import add_updates

SHEETS = (
    ("Attendance", add_attendance),
    ("Updates", add_updates),
    ("Membership review", add_review),
    ("Guidance compliance", add_compliance),
    ("Summary", add_summary),
)


def _properties(wb: Workbook, report: Report) -> None:
    period = report.period
    note = (
        f"Daily Briefing Meeting, {period.title} ({period.first:%d/%m/%Y} to "
        f"{period.last:%d/%m/%Y}). Times are UK local time ({report.zone.key}). "
        f"Generated {generated(report)}. {report.marking}."
    )
    wb.properties.title = f"DBM attendance, {period.title}"
    wb.properties.subject, wb.properties.description = "Daily Briefing Meeting attendance", note
    wb.properties.creator, wb.properties.keywords = "dbm-bot", period.key
    wb.properties.created = report.generated.astimezone(UTC).replace(tzinfo=None)
    wb.properties.modified = wb.properties.created
    wb.properties.category = report.marking
    for name, value in (
        ("Period", period.key),
        ("Time zone", report.zone.key),
        ("Generated", generated(report)),
        ("Protective marking", report.marking),
    ):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


def render_workbook(report: Report, *, first: str | None = None) -> bytes:
    """The .xlsx bytes of a loaded report; `first` names the sheet it opens at."""
    wb = Workbook(write_only=True)
    order = sorted(SHEETS, key=lambda sheet: sheet[0] != first)  # stable: the rest keep order
    for _, add in order:
        add(wb, report)
    _properties(wb, report)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_workbook(
    *,
    session: Session,
    period: Period,
    channel: str | None,
    calendar: str,
    zone: ZoneInfo,
    now: datetime,
    review_rate: int = 50,
    marking: str = "OFFICIAL-SENSITIVE",
) -> bytes:
    """The workbook of a period, as .xlsx bytes (authors shown by their Slack ids)."""
    report = load_report(
        session=session, period=period, channel=channel, calendar=calendar, zone=zone, now=now,
        review_rate=review_rate, marking=marking,
    )  # fmt: skip
    return render_workbook(report)
