"""`python -m bot demo`: a briefing week, Monday to Friday, on simulated time.

The scheduled jobs are the production ones (`bot.scheduler.job_specs`): each job's next fire
time comes from its own CronTrigger (`trigger.get_next_fire_time(previous, now)`), the injected
clock is moved to it, and the job function runs, wrapped as the scheduler wraps it. APScheduler
3's own loop waits on wall-clock time, so a week cannot pass in seconds inside it; stepping the
same triggers and job functions through simulated time is the only difference. The people's
presses, replies and commands in between are signed HTTP requests to the real app.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import TextIO

from sqlmodel import col, select

from bot.scheduler import HEADER_JOB, JobSpec, guarded, job_specs
from config.settings import Settings
from meeting.timefmt import fmt_day
from meeting.week import IsoWeek
from service.closing import run_close_briefing
from storage.db import session_scope
from storage.models import Attendance, Body, Briefing

from .cast import cast_bodies
from .scene import Scene
from .script import VISITOR, DayPlan, Step, local, plan_day
from .stage import CHAIR, CHANNEL, SimClock, Stage, running_stage
from .transcript import Transcript


@dataclass(frozen=True)
class DemoOptions:
    """How much of which week to run."""

    week: IsoWeek
    days: int = 5
    seed: int = 2026


@dataclass
class DemoResult:
    """What happened: the transcript, the spreadsheet, and attendance planned and recorded."""

    week: IsoWeek
    filename: str = ""
    spreadsheet: bytes = b""
    transcript: list[str] = field(default_factory=list)
    expected: dict[tuple[date, str], str] = field(default_factory=dict)
    recorded: dict[tuple[date, str], str] = field(default_factory=dict)
    acks: list[tuple[int, float]] = field(default_factory=list)


def set_up_scene(stage: Stage, out: TextIO | None = None) -> Scene:
    """Users and the private channel in the stand-in; the cast of people."""
    bodies = cast_bodies(stage.settings.bodies)
    fake = stage.fake
    fake.add_user(CHAIR, name="chair", real_name="NCA Chair")
    fake.add_user(VISITOR.user_id, name=VISITOR.handle, real_name=VISITOR.real_name)
    names = {CHAIR: "chair", VISITOR.user_id: VISITOR.handle}
    for person in (p for body in bodies for p in body.people):
        fake.add_user(person.user_id, name=person.handle, real_name=person.real_name)
        names[person.user_id] = person.handle
    members = [*names, fake.bot_user_id]
    fake.set_channel(CHANNEL, name="dbm-national", is_private=True, members=members)
    return Scene(stage, Transcript(fake, names, out=out), bodies)


def _job_steps(scene: Scene, specs: list[JobSpec], start: datetime, end: datetime) -> list[Step]:
    """Every fire time of every job in [start, end), computed by its own trigger (the header's
    five-second job only where it has a write to do: see `_header_step`)."""
    steps: list[Step] = []
    for spec in specs:
        if spec.id == HEADER_JOB:
            continue
        fire = spec.trigger.get_next_fire_time(None, start)
        while fire is not None and fire < end:
            steps.append(Step(fire, -1, partial(_run_job, scene, spec)))
            fire = spec.trigger.get_next_fire_time(fire, fire)
    return steps


def _run_job(scene: Scene, spec: JobSpec) -> None:
    scene.transcript.act(f"scheduler runs the {spec.id} job")
    guarded(spec.id, spec.run)(scene.stage.deps, scene.stage.client)
    scene.transcript.flush()


def _write_header(scene: Scene, spec: JobSpec) -> None:
    scene.transcript.act(f"scheduler runs the {spec.id} job: a paced header write is due")
    guarded(spec.id, spec.run)(scene.stage.deps, scene.stage.client)
    scene.transcript.flush()


def _header_step(scene: Scene, spec: JobSpec | None) -> Step | None:
    """The header job's next run that has a paced write to do (its runs in between do nothing,
    so the demo does not step through them: 17,280 a day)."""
    due = scene.stage.deps.header_pace.next_due()
    if spec is None or due is None:
        return None
    fire = spec.trigger.get_next_fire_time(None, due)
    return None if fire is None else Step(fire, -2, partial(_write_header, scene, spec))


def _play(scene: Scene, steps: list[Step], specs: list[JobSpec]) -> None:
    """Move the clock to each step in turn and run it."""
    zone = scene.stage.settings.meeting.timezone
    header = next((spec for spec in specs if spec.id == HEADER_JOB), None)
    shown: date | None = None
    queue = list(steps)
    heapq.heapify(queue)
    while queue:
        step = heapq.heappop(queue)
        local_at = step.at.astimezone(zone)
        if local_at.date() != shown:
            shown = local_at.date()
            scene.transcript.say(f"\n══════ {fmt_day(shown)} ══════")
        scene.stage.clock.set(step.at)
        scene.transcript.stamp = f"{local_at:%H:%M}"
        step.run()
        if (write := _header_step(scene, header)) is not None and write not in queue:
            heapq.heappush(queue, write)


def _recorded(stage: Stage) -> dict[tuple[date, str], str]:
    with session_scope(stage.engine) as session:
        rows = session.exec(
            select(col(Briefing.meeting_date), col(Body.code), col(Attendance.state))
            .join(Attendance, col(Attendance.briefing_id) == col(Briefing.id))
            .join(Body, col(Body.id) == col(Attendance.body_id))
        )
        return {(day, code): state for day, code, state in rows}


def _held(stage: Stage) -> set[date]:
    with session_scope(stage.engine) as session:
        query = select(col(Briefing.meeting_date)).where(col(Briefing.opened_at).is_not(None))
        return set(session.exec(query))


def _collect(result: DemoResult, stage: Stage, scene: Scene, plans: dict[date, DayPlan]) -> None:
    held = _held(stage)
    result.expected = {
        (day, code): state
        for day, plan in plans.items()
        if day in held
        for code, state in plan.expected.items()
    }
    result.recorded = _recorded(stage)
    sheets = [f for f in stage.fake.uploaded_files() if f.filename.endswith(".xlsx")]
    if sheets:
        result.filename, result.spreadsheet = sheets[-1].filename, sheets[-1].content
    result.transcript = list(scene.transcript.lines)
    result.acks = list(scene.acks)


def _ask_for_export(scene: Scene, week: IsoWeek, at: datetime) -> None:
    """The weekly job runs on the export day; a shorter demo has the chair ask instead."""
    scene.stage.clock.set(at)
    scene.transcript.stamp = f"{at.astimezone(scene.stage.settings.meeting.timezone):%H:%M}"
    scene.transcript.say("  (the weekly export job did not fire in the days run: the chair asks)")
    scene.chair(f"export {week.label}")


def run_demo(base: Settings, options: DemoOptions, out: TextIO | None = None) -> DemoResult:
    """Run the week on the stage; the transcript goes to `out` as it happens."""
    zone, monday = base.meeting.timezone, options.week.monday
    start = local(monday, 0, 0, zone)
    end = local(monday + timedelta(days=options.days - 1), 18, 0, zone)
    result = DemoResult(options.week)
    with running_stage(base, SimClock(start)) as stage:
        scene = set_up_scene(stage, out)
        specs = job_specs(stage.settings)
        chair_closes = not any(spec.run is run_close_briefing for spec in specs)
        if chair_closes:
            scene.transcript.say(NO_CLOSE_JOB)
        rng = random.Random(options.seed)
        days = [monday + timedelta(days=i) for i in range(options.days)]
        plans = {
            day: plan_day(scene, day, i, zone, rng, chair_closes=chair_closes)
            for i, day in enumerate(days)
        }
        steps = [s for plan in plans.values() for s in plan.steps]
        if options.days == 5:  # the day after: no meeting, and the status says why
            saturday = local(monday + timedelta(days=5), 9, 0, zone)
            steps.append(Step(saturday, 0, lambda: scene.chair("status")))
        _play(scene, steps + _job_steps(scene, specs, start, end), specs)
        if not stage.fake.uploaded_files():
            _ask_for_export(scene, options.week, end)
        _collect(result, stage, scene, plans)
    return result


NO_CLOSE_JOB = (
    "(No job in bot/scheduler.py closes the briefing at close_time, so the chair closes each "
    "day's briefing with /dbm close at that time.)"
)
