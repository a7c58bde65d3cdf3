"""The week's script: who does what, at which simulated minute, on each day."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from blocks.ids import ActionId

from .cast import MALFORMED, Body, Part, Person, update_texts
from .scene import Scene

STEP = timedelta(seconds=30)
VISITOR = Person("UVISITOR01", "visitor", "A visitor (no body)", "")


@dataclass(order=True)
class Step:
    """One thing that happens at a simulated instant."""

    at: datetime
    order: int
    run: Callable[[], object] = field(compare=False)


@dataclass
class DayPlan:
    """A day's steps and the attendance they should produce (if the briefing is held)."""

    steps: list[Step] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)

    def add(self, at: datetime, run: Callable[[], object]) -> None:
        """Schedule a step (ties keep the order they were added in)."""
        self.steps.append(Step(at, len(self.steps), run))


def local(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """A local wall-clock instant of a day."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _expected(body: Body, skipper: Body | None) -> str:
    if body.part is Part.NEVER or body is skipper:
        return "absent"
    return {Part.APOLOGIES: "apologies", Part.NIL: "nil"}.get(body.part, "present")


def _body_steps(
    plan: DayPlan, scene: Scene, body: Body, at: datetime, rng: random.Random, day: date
) -> datetime:
    """A body's part for the day from `at` (the late one after the reminder); the next start."""
    person = rng.choice(body.people)
    start = at.replace(hour=9, minute=20) if body.part is Part.LATE else at
    buttons = {Part.APOLOGIES: ActionId.ROLL_APOLOGIES, Part.NIL: ActionId.ROLL_NIL}
    if body.part is not Part.UPDATES_ONLY:
        action = buttons.get(body.part, ActionId.ROLL_PRESENT)
        plan.add(start, lambda: scene.press(person, action, day))
    if body.part in (Part.PRESENT, Part.UPDATES_ONLY, Part.LATE):
        low = 1 if body.part is Part.UPDATES_ONLY else 0
        for text in update_texts(rng, day.weekday(), rng.randint(low, 2)):
            start += STEP
            author = rng.choice(body.people)
            plan.add(start, partial(scene.reply, author, text, day))
    return (at if body.part is Part.LATE else start) + STEP


def _oddities(
    plan: DayPlan, scene: Scene, day: date, index: int, zone: ZoneInfo, rng: random.Random
) -> None:
    """The day's mistakes: malformed replies, a press by someone with no body, a stray post."""
    speakers = [b for b in scene.bodies if b.part is Part.PRESENT]
    for minute, text in enumerate(MALFORMED.get(index, ())):
        person = rng.choice(rng.choice(speakers).people)
        plan.add(local(day, 9, 5 + minute, zone), partial(scene.reply, person, text, day))
    if index == 1:
        plan.add(local(day, 8, 45, zone), lambda: scene.press(VISITOR, ActionId.ROLL_PRESENT, day))
    if index == 2:
        person = rng.choice(rng.choice(speakers).people)
        text = "EVENT | drugs | today 07:30 | Cash and cocaine seized at a flat in Hull"
        plan.add(local(day, 9, 8, zone), lambda: scene.reply(person, text, day, in_thread=False))


def _flows(plan: DayPlan, scene: Scene, day: date, index: int, zone: ZoneInfo) -> None:
    """The day's turns of the meeting's flows: the raisers of carried demands answer the
    morning's question; Monday after the close, the state of the day; Tuesday, a visitor asks
    for the digest; Wednesday, the raiser of the oldest demand lists them; Friday after the
    close, the chair reopens a lapsed demand."""
    if index >= 1:
        plan.add(local(day, 8, 31, zone), scene.answer_prompts)
    if index == 0:
        plan.add(local(day, 11, 30, zone), lambda: scene.chair("status"))
        plan.add(local(day, 11, 31, zone), lambda: scene.chair("open"))
    if index == 1:
        plan.add(local(day, 10, 45, zone), lambda: scene.command(VISITOR, "summary"))
    if index == 2:
        plan.add(local(day, 10, 0, zone), scene.raiser_lists_demands)
    if index == 4:
        plan.add(local(day, 11, 30, zone), scene.reopen_first_lapsed)


def plan_day(
    scene: Scene, day: date, index: int, zone: ZoneInfo, rng: random.Random, *, chair_closes: bool
) -> DayPlan:
    """Everything people do on one meeting day."""
    plan = DayPlan()
    if index == 0:
        plan.add(local(day, 8, 10, zone), scene.map_members)
    _flows(plan, scene, day, index, zone)
    order = list(scene.bodies)
    rng.shuffle(order)
    skipper = rng.choice([b for b in order if b.part is Part.PRESENT])
    at = local(day, 8, 34, zone)
    for body in order:
        plan.expected[body.code] = _expected(body, skipper)
        if plan.expected[body.code] != "absent":
            at = _body_steps(plan, scene, body, at, rng, day)
    _oddities(plan, scene, day, index, zone, rng)
    plan.add(local(day, 9, 25, zone), lambda: scene.chair("status"))
    plan.add(local(day, 10, 40, zone), lambda: scene.chair("summary"))
    if chair_closes:
        plan.add(local(day, 11, 0, zone), lambda: scene.chair("close"))
    return plan
