"""The Guidance compliance sheet (recommendation 10): per body, who has read the current
guidance, and whether its updates name a threat and a time."""

from __future__ import annotations

from typing import Any

from meeting.compliance import BodyCompliance
from meeting.labels import REFUSAL_LABELS, label
from meeting.report import Report
from meeting.sheets.common import generated, headings, share, title, write
from meeting.xlsx import WRAP, Sheet, Styled

HEADINGS = (
    "Code", "Body", "Members", "Acknowledged the current guidance", "Share acknowledged",
    "Updates recorded", "Updates refused", "Commonest reasons refused", "Naming a threat",
    "Share naming a threat", "Events and plans", "Giving a time", "Share giving a time",
)  # fmt: skip
REASONS = HEADINGS.index("Commonest reasons refused") + 1
HEADER_ROW = 4
SHEET = "Guidance compliance"


def reasons_text(row: BodyCompliance) -> str:
    """The commonest refusal reasons in words, with how many: "Unknown threat (3); …"."""
    return "; ".join(f"{label(REFUSAL_LABELS, code)} ({n})" for code, n in row.top_reasons())


def _row(row: BodyCompliance) -> list[Any]:
    return [
        row.code, row.name, row.members, row.acknowledged, share(row.acknowledged, row.members),
        row.updates, row.refused, Styled(reasons_text(row), WRAP), row.naming_threat,
        share(row.naming_threat, row.updates), row.timeable, row.timed,
        share(row.timed, row.timeable),
    ]  # fmt: skip


def _explain(report: Report) -> str:
    published = report.compliance.published_at
    version = (
        "No guidance has been published yet."
        if published is None
        else f"The current guidance was published {published.astimezone(report.zone):%d/%m/%Y}."
    )
    return (
        f"{version} Members and acknowledgements are as at {generated(report)}; updates "
        "recorded (still active) and refused are those of the period. Events and plans should "
        "say when they happen; urgent demands need not."
    )


def add_compliance(wb: Any, report: Report) -> Any:
    """The Guidance compliance sheet."""
    sheet = Sheet(SHEET, measure_from=HEADER_ROW, freeze="C5", fixed_widths={REASONS: 40})
    sheet.append(title(f"Guidance compliance, {report.period.title}"))
    sheet.note(_explain(report), columns=10)
    sheet.append(headings(HEADINGS), row=HEADER_ROW)
    for row in report.compliance.rows:
        sheet.append(_row(row))
    return write(wb, sheet, report, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", title_cols="A:B")
