"""The messages that carry a workbook of a period longer than a week, and the membership review."""

from __future__ import annotations

from blocks.text import escape, truncate
from meeting.report import Report
from meeting.review import BodyReview

MAX_COMMENT = 3500
MAX_FLAGGED_LINES = 25


def _flagged(report: Report) -> int:
    return sum(1 for review in report.review if review.flag is not None)


def _flagged_line(review: BodyReview) -> str:
    t = review.totals
    attended = f"attended {t.attended} of {t.meetings}"
    return f"• *{escape(review.code)}* {escape(review.name)}: {review.reason.lower()} ({attended})"


def flagged_lines(report: Report) -> list[str]:
    """One line per body the review flags, worst first (at most MAX_FLAGGED_LINES)."""
    flagged = [review for review in report.review if review.flag is not None]
    lines = [_flagged_line(review) for review in flagged[:MAX_FLAGGED_LINES]]
    if len(flagged) > MAX_FLAGGED_LINES:
        lines.append(f"…and {len(flagged) - MAX_FLAGGED_LINES} more in the workbook")
    return lines


def _overall(report: Report) -> str:
    grid = report.grid
    held = sum(1 for day in grid.days if day.held)
    rate = grid.overall.rate
    attendance = "" if rate is None else f", overall attendance {rate:.0%}"
    return f"{held} briefings held, {len(grid.rows)} bodies{attendance}."


def build_period_comment(report: Report) -> str:
    """The message with a workbook of a month, a quarter or any period: the totals and the
    bodies flagged for review."""
    lines = flagged_lines(report)
    count = _flagged(report)
    flagged = f"Flagged for review ({count}):" if count else "No body is flagged for review."
    text = "\n".join([f"*Attendance, {report.period.title}*: {_overall(report)}", flagged, *lines])
    return truncate(text, MAX_COMMENT)


def build_review_comment(report: Report) -> str:
    """The message with the membership review: who is flagged and why, for the chair to decide."""
    lines = flagged_lines(report)
    total = len(report.review)
    head = f"*Membership review, {report.period.title}*: {_overall(report)}"
    if not lines:
        verdict = f"None of the {total} bodies is flagged (review rate {report.review_rate}%)."
    else:
        verdict = (
            f"{_flagged(report)} of {total} bodies flagged (never attended, apologies only, or "
            f"attendance below {report.review_rate}%):"
        )
    tail = "Every body's figures are in the workbook's Membership review sheet."
    return truncate("\n".join([head, verdict, *lines, tail]), MAX_COMMENT)
