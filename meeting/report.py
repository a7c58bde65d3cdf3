"""Everything a workbook of a period shows, loaded in a handful of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col

from meeting.calendar import local_date
from meeting.compliance import Compliance, load_compliance
from meeting.periods import Period
from meeting.review import BodyReview, load_last_attended, load_spells, review_bodies
from meeting.update_view import UpdateView, load_update_views
from meeting.week import Grid, load_grid
from storage.models import Update

# Who did something without being a person: the roster file and the bot's own jobs.
NOT_PEOPLE = {"config": "the roster file", "scheduler": "the bot", "close": "the bot"}


@dataclass(frozen=True)
class Report:
    """A period's workbook, loaded: attendance grid, updates, review and compliance."""

    period: Period
    grid: Grid
    updates: list[UpdateView]
    briefing_days: dict[int, date]
    zone: ZoneInfo
    generated: datetime
    review: tuple[BodyReview, ...]
    compliance: Compliance
    review_rate: int = 50
    marking: str = "OFFICIAL-SENSITIVE"
    names: dict[str, str] = field(default_factory=dict)  # Slack id -> name, where known

    @property
    def people(self) -> list[str]:
        """The Slack ids the workbook names: authors, and who invited or uninvited bodies."""
        ids = {update.author_id for update in self.updates}
        for review in self.review:
            for spell in review.spells:
                ids.update(i for i in (spell.invited_by, spell.ended_by) if i)
        return sorted(ids - NOT_PEOPLE.keys())

    def name(self, user_id: str) -> str:
        """A person's name where known, else their Slack id."""
        return NOT_PEOPLE.get(user_id) or self.names.get(user_id) or user_id


def _updates(session: Session, briefing_ids: list[int]) -> list[UpdateView]:
    where = [col(Update.briefing_id).in_(briefing_ids)]
    return load_update_views(session=session, where=where)


def _contributed(updates: list[UpdateView]) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = {}
    for update in updates:
        if update.status == "active":
            counts.setdefault(update.body_id, Counter())[update.kind] += 1
    return counts


def load_report(
    *,
    session: Session,
    period: Period,
    channel: str | None,
    calendar: str,
    zone: ZoneInfo,
    now: datetime,
    review_rate: int = 50,
    marking: str = "OFFICIAL-SENSITIVE",
) -> Report:
    """Load the grid, updates, membership review and guidance compliance of a period."""
    first, last = period.first, period.last
    grid = load_grid(
        session=session, start=first, end=last, channel=channel, calendar=calendar,
        today=local_date(now, zone),
    )  # fmt: skip
    updates = _updates(session, grid.briefing_ids)
    review = review_bodies(
        grid=grid,
        spells=load_spells(session=session, first=first, last=last),
        last_attended=load_last_attended(session=session, last=last, channel=channel),
        contributed=_contributed(updates),
        review_rate=review_rate,
    )
    start, end = period.bounds(zone)
    compliance = load_compliance(
        session=session, bodies=[(r.body_id, r.code, r.name) for r in grid.rows],
        updates=updates, start=start, end=end,
    )  # fmt: skip
    days = {d.briefing_id: d.day for d in grid.days if d.briefing_id is not None}
    return Report(period, grid, updates, days, zone, now, review, compliance, review_rate, marking)
