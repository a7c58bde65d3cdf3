"""Urgent demands from day to day: the morning's question to each raiser and their answers, the
lapse at the close and the word to the raiser, and the lists /dbm demands shows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.demands import (
    PromptView,
    build_lapsed_notice,
    build_renewal_fallback,
    build_renewal_prompt,
)
from blocks.text import Block
from meeting.briefings import open_briefing
from meeting.calendar import local_date
from meeting.day import day_times
from meeting.demands import OpenDemand, changeable, lapsed_in, open_demands, recently_lapsed
from meeting.jobruns import claim_job, finish_job, release_job
from meeting.renewal import Lapse, Renewal, lapse_demands, raisers, renew_demand, reopen_demand
from meeting.renewal import renewal_prompts as prompts_for
from meeting.timefmt import fmt_time
from meeting.viewers import Viewer
from service.deps import Deps
from slack_adapter.client import slack_error
from storage.db import session_scope
from storage.models import Briefing

log = logging.getLogger(__name__)
RenewalRule = Callable[..., Renewal]  # meeting.renewal.renew_demand or reopen_demand
PROMPT_JOB = "demand_prompt"
LAPSED_JOB = "demand_lapsed"


def _claim(deps: Deps, job: str, key: str, now: datetime) -> bool:
    with session_scope(deps.engine) as session:
        return claim_job(session=session, job=job, key=key, now=now, claimer=deps.instance)


def _settle(deps: Deps, job: str, key: str, now: datetime, *, sent: bool) -> None:
    with session_scope(deps.engine) as session:
        if sent:
            finish_job(session=session, job=job, key=key, now=now, detail="sent")
        else:
            release_job(session=session, job=job, key=key)


def _direct(
    client: WebClient, people: tuple[str, ...], text: str, blocks: list[Block] | None
) -> bool:
    """Send each person a direct message; False if any could not be sent."""
    sent = True
    for person in people:
        try:
            client.chat_postMessage(channel=person, text=text, blocks=blocks, unfurl_links=False)
        except SlackApiError as exc:
            log.warning("could not message %s about a demand: %s", person, slack_error(exc))
            sent = False
    return sent


def prompt_raisers(deps: Deps, client: WebClient, briefing: Briefing | None, now: datetime) -> int:
    """Once a briefing is open: ask each carried demand's raiser, privately, whether it is still
    needed (once per briefing and demand, however often this runs); how many were asked now."""
    if briefing is None or briefing.id is None or briefing.status != "open":
        return 0
    meeting = deps.settings.meeting
    with session_scope(deps.engine) as session:
        stored = session.get(Briefing, briefing.id)
        assert stored is not None
        prompts = prompts_for(
            session=session, briefing=stored, lapse_after=meeting.demand_lapse_briefings
        )
    closes_at = fmt_time(day_times(briefing.meeting_date, meeting).closes_at, meeting.timezone)
    asked = 0
    for prompt in prompts:
        key = f"{briefing.id}:{prompt.demand.id}"
        if not _claim(deps, PROMPT_JOB, key, now):
            continue
        view = PromptView(prompt, meeting.timezone, closes_at)
        sent = _direct(client, prompt.ask, build_renewal_fallback(view), build_renewal_prompt(view))
        _settle(deps, PROMPT_JOB, key, now, sent=sent)
        asked += 1 if sent else 0
    if asked:
        log.info("asked about %d carried demand(s) at briefing %s", asked, briefing.id)
    return asked


def _in_open_briefing(
    deps: Deps, rule: RenewalRule, *, update_id: int, viewer: Viewer, now: datetime
) -> Renewal:
    with session_scope(deps.engine) as session:
        briefing = open_briefing(session=session, channel=deps.channel)
        return rule(
            session=session,
            update_id=update_id,
            briefing_id=briefing.id if briefing is not None else None,
            viewer=viewer,
            now=now,
        )


def renew(deps: Deps, *, update_id: int, viewer: Viewer, now: datetime) -> Renewal:
    """A raiser's *Still needed*: renewed in the open briefing (once per briefing)."""
    return _in_open_briefing(deps, renew_demand, update_id=update_id, viewer=viewer, now=now)


def reopen(deps: Deps, *, update_id: int, viewer: Viewer, now: datetime) -> Renewal:
    """A chair reopens a lapsed demand: carried again, counted as renewed now."""
    return _in_open_briefing(deps, reopen_demand, update_id=update_id, viewer=viewer, now=now)


def lapse_at_close(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> None:
    """Closing step (before the digest): demands left unrenewed through the last
    `demand_lapse_briefings` briefings lapse (audited; the digest lists them)."""
    with session_scope(deps.engine) as session:
        lapsed = lapse_demands(
            session=session,
            briefing=briefing,
            lapse_after=deps.settings.meeting.demand_lapse_briefings,
            now=now,
            actor="scheduler",
        )
    if lapsed:
        log.info("%d demand(s) lapsed at the close of briefing %s", len(lapsed), briefing.id)


def tell_lapsed(deps: Deps, client: WebClient, briefing: Briefing, now: datetime) -> None:
    """Closing step: tell the raiser of each demand that lapsed at this close (once each)."""
    assert briefing.id is not None
    with session_scope(deps.engine) as session:
        lapsed = lapsed_in(session=session, briefing_id=briefing.id)
        people = raisers(session=session, demands=lapsed)
    meeting = deps.settings.meeting
    for demand in lapsed:
        key = f"{briefing.id}:{demand.id}"
        if not _claim(deps, LAPSED_JOB, key, now):
            continue
        text = build_lapsed_notice(
            Lapse(demand, people[demand.id]), meeting.timezone, meeting.demand_lapse_briefings
        )
        sent = _direct(client, people[demand.id], text, None)
        _settle(deps, LAPSED_JOB, key, now, sent=sent)


@dataclass(frozen=True)
class DemandList:
    """Demands as one person sees them: the list, and which of them they may change."""

    demands: tuple[OpenDemand, ...]
    changeable: frozenset[int]


def demands_for(deps: Deps, viewer: Viewer, *, now: datetime) -> DemandList:
    """The open urgent demands, oldest first, aged as of today, for /dbm demands."""
    today = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        demands = tuple(open_demands(session=session, today=today))
    return DemandList(demands, changeable(demands, viewer))


def lapsed_demands(deps: Deps, *, now: datetime) -> list[OpenDemand]:
    """The demands that lapsed (and were not reopened), newest first."""
    today = local_date(now, deps.settings.meeting.timezone)
    with session_scope(deps.engine) as session:
        return recently_lapsed(session=session, today=today)
