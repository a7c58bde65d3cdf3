"""The Summary sheet: the period, briefings held and not, overall attendance, and how many bodies
the membership review flags."""

from __future__ import annotations

from typing import Any

from meeting.report import Report
from meeting.sheets.attendance import TOTAL_HEADINGS, tally_cells
from meeting.sheets.common import generated, headings, title, write
from meeting.xlsx import BOLD, DATE, FLAGGED, Sheet, Styled

SHEET = "Summary"


def _facts(report: Report) -> list[tuple[str, Any]]:
    grid, period = report.grid, report.period
    held = [day for day in grid.days if day.held]
    flagged = sum(1 for review in report.review if review.flag is not None)
    names = (*TOTAL_HEADINGS, "Attended", "Attendance rate")
    totals = zip(names, tally_cells(grid.overall), strict=True)
    return [
        ("Period", period.title),
        ("From", Styled(period.first, DATE)),
        ("To", Styled(period.last, DATE)),
        ("Times", f"UK local time ({report.zone.key})"),
        ("Generated", generated(report)),
        ("Protective marking", report.marking),
        ("Briefings held", len(held)),
        ("Of which extra sessions", sum(1 for day in held if day.extra)),
        ("Weekdays without a meeting", len(grid.days) - len(held)),
        ("Bodies", len(grid.rows)),
        *totals,
        ("Updates", len(report.updates)),
        ("Bodies flagged for review", Styled(flagged, FLAGGED) if flagged else 0),
    ]


def _no_meeting(sheet: Sheet, report: Report) -> None:
    missing = [day for day in report.grid.days if not day.held]
    if not missing:
        return
    sheet.append(headings(["Weekday", "Why there was no meeting"]), row=sheet.last_row + 2)
    for day in missing:
        sheet.append([Styled(day.day, DATE), day.reason])


def add_summary(wb: Any, report: Report) -> Any:
    """The Summary sheet."""
    sheet = Sheet(SHEET, measure_from=3)
    sheet.append(title(f"Daily Briefing Meeting, {report.period.title}"))
    sheet.note(
        "The Membership review sheet gives each body's attendance and why it is flagged; "
        "the Guidance compliance sheet, who has read the guidance.",
        columns=2,
    )
    for name, value in _facts(report):
        sheet.append([Styled(name, BOLD), value])
    _no_meeting(sheet, report)
    return write(wb, sheet, report, title_rows="1:2")
