"""The membership review (inspectorate recommendation 11): each body's attendance over a period,
from its invitation history, flagged where the chair should decide whether it is still needed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from meeting.week import BodyRow, Grid, Mark, Tally
from storage.models import Attendance, Briefing, Invitation

REVIEW_SHEET = "Membership review"
ATTENDED = (Mark.PRESENT, Mark.NIL)
MISSED = (Mark.APOLOGIES, Mark.ABSENT, Mark.NOT_RECORDED)


class Flag(StrEnum):
    """Why a body is flagged for review, worst first."""

    NEVER = "never attended in the period"
    APOLOGIES_ONLY = "apologies only"
    BELOW = "below the review rate"


SEVERITY = {Flag.NEVER: 0, Flag.APOLOGIES_ONLY: 1, Flag.BELOW: 2, None: 3}


@dataclass(frozen=True)
class Spell:
    """A period during which a body was invited, and who invited and uninvited it."""

    first: date
    last: date | None
    invited_by: str
    ended_by: str | None


@dataclass(frozen=True)
class BodyReview:
    """One body's line of the membership review."""

    body_id: int
    code: str
    name: str
    spells: tuple[Spell, ...]
    totals: Tally
    last_attended: date | None
    longest_missed: int
    contributed: Mapping[str, int]  # update kind -> active updates in the period
    flag: Flag | None
    reason: str


def load_spells(*, session: Session, first: date, last: date) -> dict[int, list[Spell]]:
    """The invitation spells that overlap a period, by body, oldest first."""
    query = (
        select(Invitation)
        .where(Invitation.invited_from <= last)
        .where((col(Invitation.invited_to).is_(None)) | (col(Invitation.invited_to) >= first))
        .order_by(col(Invitation.invited_from), col(Invitation.id))
    )
    spells: dict[int, list[Spell]] = {}
    for row in session.exec(query):
        spell = Spell(row.invited_from, row.invited_to, row.invited_by, row.ended_by)
        spells.setdefault(row.body_id, []).append(spell)
    return spells


def load_last_attended(*, session: Session, last: date, channel: str | None) -> dict[int, date]:
    """The last briefing (up to a day) each body attended, present or with nothing to report."""
    query = (
        select(col(Attendance.body_id), func.max(col(Briefing.meeting_date)))
        .join(Briefing, col(Briefing.id) == col(Attendance.briefing_id))
        .where(col(Attendance.state).in_([mark.value for mark in ATTENDED]))
        .where(col(Briefing.meeting_date) <= last)
        .group_by(col(Attendance.body_id))
    )
    if channel is not None:
        query = query.where(Briefing.channel_id == channel)
    return {body_id: day for body_id, day in session.exec(query) if day is not None}


def longest_missed(marks: tuple[Mark, ...]) -> int:
    """The longest run of briefings in a row a body was expected at and did not attend."""
    longest = run = 0
    for mark in marks:
        if mark in MISSED:
            run += 1
            longest = max(longest, run)
        elif mark in ATTENDED:
            run = 0
    return longest


def flag_of(totals: Tally, review_rate: int) -> tuple[Flag | None, str]:
    """Whether a body's attendance calls for review, and why, in words."""
    expected = totals.meetings
    if expected == 0 or totals.rate is None:
        return None, ""
    if totals.attended == 0 and totals.apologies == expected:
        return Flag.APOLOGIES_ONLY, f"Apologies only: sent apologies to all {expected} briefings"
    if totals.attended == 0:
        return Flag.NEVER, f"Never attended in the period: expected at {expected} briefings"
    if totals.rate * 100 < review_rate:
        return Flag.BELOW, (
            f"Attendance {totals.rate:.0%} is below the review rate of {review_rate}%: "
            f"attended {totals.attended} of {expected}"
        )
    return None, ""


def _review(
    row: BodyRow, spells: list[Spell], last: date | None, kinds: Counter[str], rate: int
) -> BodyReview:
    flag, reason = flag_of(row.totals, rate)
    return BodyReview(
        row.body_id, row.code, row.name, tuple(spells), row.totals, last,
        longest_missed(row.marks), dict(kinds), flag, reason,
    )  # fmt: skip


def worst_first(review: BodyReview) -> tuple[int, float, int, str]:
    """Sort key: the most serious flag, then the lowest rate, then the most briefings expected."""
    rate = 2.0 if review.totals.rate is None else review.totals.rate
    return SEVERITY[review.flag], rate, -review.totals.meetings, review.code


def review_bodies(
    *,
    grid: Grid,
    spells: Mapping[int, list[Spell]],
    last_attended: Mapping[int, date],
    contributed: Mapping[int, Counter[str]],
    review_rate: int,
) -> tuple[BodyReview, ...]:
    """Every body of the grid reviewed, worst first."""
    reviews = [
        _review(
            row,
            spells.get(row.body_id, []),
            last_attended.get(row.body_id),
            contributed.get(row.body_id, Counter()),
            review_rate,
        )
        for row in grid.rows
    ]
    return tuple(sorted(reviews, key=worst_first))
