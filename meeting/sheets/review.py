"""The Membership review sheet (recommendation 11): bodies worst first, flagged with the reason,
and a chart of their attendance rates, lowest at the top."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint

from meeting.report import Report
from meeting.review import REVIEW_SHEET, BodyReview, Spell
from meeting.sheets.common import generated, headings, title, write
from meeting.xlsx import (
    CENTRED,
    DATE,
    FLAGGED,
    FLAGGED_PERCENT,
    PERCENT,
    Sheet,
    Style,
    Styled,
    page_break_after,
)

HEADINGS = (
    "Code", "Body", "Why flagged", "Invited from", "Invited to", "Invited by", "Uninvited by",
    "Briefings expected", "Present", "Nil return", "Apologies", "Absent", "Not recorded",
    "Attendance rate", "Last attended", "Longest run missed", "Significant events",
    "Operational plans", "Urgent demands",
)  # fmt: skip
RATE = HEADINGS.index("Attendance rate") + 1
REASON = HEADINGS.index("Why flagged") + 1
HEADER_ROW = 4
SHEET = REVIEW_SHEET
MAX_CHART_HEIGHT = 17.0  # cm: the chart fits one landscape A4 page
FLAGGED_WRAP = Style("DBM flagged wrapped", bold=True, fill="FFC7CE", wrap=True)


def _invited(spells: tuple[Spell, ...], report: Report) -> list[Any]:
    if not spells:
        return [None, None, "", ""]
    last = spells[-1].last
    invited_by = dict.fromkeys(report.name(spell.invited_by) for spell in spells)
    ended_by = dict.fromkeys(report.name(s.ended_by) for s in spells if s.ended_by)
    return [
        Styled(spells[0].first, DATE),
        Styled("still invited", CENTRED) if last is None else Styled(last, DATE),
        ", ".join(invited_by),
        ", ".join(ended_by),
    ]


def _row(review: BodyReview, report: Report) -> list[Any]:
    t = review.totals
    flagged = review.flag is not None
    code: Any = Styled(review.code, FLAGGED) if flagged else review.code
    rate = None if t.rate is None else Styled(t.rate, FLAGGED_PERCENT if flagged else PERCENT)
    last = review.last_attended
    return [
        code,
        review.name,
        Styled(review.reason, FLAGGED_WRAP) if flagged else "",
        *_invited(review.spells, report),
        t.meetings, t.present, t.nil, t.apologies, t.absent, t.not_recorded, rate,
        Styled("never", CENTRED) if last is None else Styled(last, DATE),
        review.longest_missed,
        *(review.contributed.get(kind, 0) for kind in ("event", "plan", "demand")),
    ]  # fmt: skip


def _explain(report: Report) -> str:
    return (
        "Every body invited at any time in the period, worst attendance first. A body is "
        "flagged when it never attended in the period, sent only apologies, or attended less "
        f"than the review rate of {report.review_rate}% ([meeting] review_rate). Attended "
        "counts present and nil returns; a run missed counts apologies, absences and "
        "briefings with no record, in a row. Last attended looks back before the period. "
        f"Updates count those still active. Generated {generated(report)}."
    )


def rate_chart(
    ws: Any, *, header_row: int, count: int, column: int, anchor: str, flagged: Sequence[bool]
) -> None:
    """A native bar chart of a table's rates (in `column`) by code (column A), in table order
    (the lowest first, at the top), the flagged bars in red."""
    chart = BarChart()
    chart.type, chart.style = "bar", 10
    chart.title = "Attendance rate by body, lowest first"
    chart.y_axis.title, chart.y_axis.number_format = "Attendance rate", PERCENT.number_format
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.scaling.orientation = "maxMin"  # first body (the lowest rate) at the top
    chart.legend = None
    data = Reference(ws, min_col=column, min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    chart.set_categories(categories)
    series = chart.series[0]
    series.graphicalProperties.solidFill = "63BE7B"
    for index, red in enumerate(flagged):
        if red:
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = "F8696B"
            series.dPt.append(point)
    chart.gapWidth = 40
    chart.x_axis.tickLblSkip = 1  # every body named
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.height, chart.width = min(max(7.5, 0.4 * count + 3), MAX_CHART_HEIGHT), 24
    ws.add_chart(chart, anchor)


def add_review(wb: Any, report: Report) -> Any:
    """The Membership review sheet, with its chart under the table."""
    sheet = Sheet(SHEET, measure_from=HEADER_ROW, freeze="C5", fixed_widths={REASON: 36})
    sheet.append(title(f"Membership review, {report.period.title}"))
    sheet.note(_explain(report), columns=12)
    sheet.append(headings(HEADINGS), row=HEADER_ROW)
    for review in report.review:
        sheet.append(_row(review, report))
    chart_row = sheet.last_row + 2
    ws = write(wb, sheet, report, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", title_cols="A:B")
    if report.review:
        page_break_after(ws, sheet.last_row)
        flagged = [review.flag is not None for review in report.review]
        rate_chart(
            ws, header_row=HEADER_ROW, count=len(flagged), column=RATE,
            anchor=f"B{chart_row}", flagged=flagged,
        )  # fmt: skip
    return ws
