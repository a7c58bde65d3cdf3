"""The Membership review sheet (recommendation 11): bodies worst first, flagged with the reason,
and a chart of their attendance rates, lowest at the top."""

from __future__ import annotations

from typing import Any

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
    rate_chart,
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
