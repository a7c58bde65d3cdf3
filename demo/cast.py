"""The demo's people: one or two per body on the roster, each body with a part to play.

Everything here is invented for the demonstration: names, places and incidents are fictional.
The parts are fixed by roster position so a run is easy to follow (and to check); the seed
picks what each body reports and which body misses a day.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from enum import StrEnum

from config.files import BodySeed

FIRST_NAMES = (
    "Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Rhys", "Niamh", "Owen", "Fatima", "Callum",
    "Grace", "Dev", "Hannah", "Kwame", "Lucy", "Mo", "Eilidh", "Ben", "Zara", "Iwan", "Chloe",
    "Ravi", "Megan", "Tariq", "Ellen", "Jamal", "Sophie", "Hamish", "Nadia",
)  # fmt: skip
PLACES = (
    "Salford", "Dover", "Luton", "Swansea", "Wakefield", "Ipswich", "Gateshead", "Derby",
    "Croydon", "Wrexham", "Plymouth", "Stoke", "Reading", "Hull", "Lincoln", "Slough",
)  # fmt: skip
EVENTS = (
    ("firearms", "Shots fired at a house in {place}; no injuries, scene held"),
    ("guns", "Converted blank-firing pistol recovered in a car stop near {place}"),
    ("drugs", "Cannabis grow of about 400 plants found in a unit in {place}"),
    ("modern slavery", "Eleven workers safeguarded at a car wash in {place}"),
    ("cyber", "Ransomware on a council supplier in {place}; services restored"),
    ("OIC", "Small boat landing reported on the coast near {place}, 23 on board"),
    ("money laundering", "Cash courier stopped on the M6 near {place} with 180k"),
    ("CSEA", "Online offender arrested in {place} after a referral"),
    ("fraud", "Courier fraud series: three elderly victims in {place} overnight"),
    ("border", "Lorry with concealed cigarettes stopped at {place} port"),
    ("drugs", "Two arrests after 3 kg of cocaine found in a van in {place}"),
    ("firearms", "Armed robbery at a jeweller in {place}; suspects fled on mopeds"),
    ("acquisitive crime", "Catalytic converter thefts: 14 overnight around {place}"),
    ("OIC", "Nine people found in a lorry trailer at a services near {place}"),
    ("corruption", "Prison officer in {place} arrested for smuggling phones"),
    ("economic crime", "Investment fraud call centre traced to an office in {place}"),
    ("MSHT", "Nail bar in {place}: four women safeguarded, two arrests"),
    ("cyber", "DDoS against a regional police website from {place}-hosted servers"),
)
PLANS = (
    ("OIC, MSHT", "Warrants at three addresses in {place}"),
    ("drugs", "County lines day of action in {place} with local force"),
    ("firearms", "Search of a storage unit in {place} for a weapons cache"),
    ("HEML", "Arrest phase of a laundering investigation in {place}"),
    ("cyber", "Takedown of a phishing service hosted near {place}"),
    ("OAC", "Operation against an organised shoplifting group in {place}"),
    ("fraud", "Search of a boiler room fraud office in {place}"),
    ("CSEA", "Arrests of two suspects in {place} following online referrals"),
    ("border", "Joint port checks with Border Force at {place}"),
)
DEMANDS = (
    ("cyber", "Need a contact at the hospital trust in {place} hit by ransomware"),
    ("firearms", "Request ballistics comparison with recent {place} discharges"),
    ("MSHT", "Need interpreters (Vietnamese) for safeguarding in {place} today"),
)


class Part(StrEnum):
    """What a body does at each briefing of the week."""

    PRESENT = "present"  # presses Present, posts updates
    UPDATES_ONLY = "updates only"  # never presses; its first update marks it present
    NIL = "nil"  # presses "Present, nothing to report"
    LATE = "late"  # presses Present after the reminder
    APOLOGIES = "apologies"  # sends apologies every day
    NEVER = "never attends"


@dataclass(frozen=True)
class Person:
    """A simulated participant."""

    user_id: str
    handle: str
    real_name: str
    code: str


@dataclass(frozen=True)
class Body:
    """A body on the roster, its people and its part."""

    code: str
    name: str
    part: Part
    people: tuple[Person, ...]


def part_for(index: int, count: int) -> Part:
    """A body's part by roster position: the last never attends, the one before apologises."""
    if index == count - 1:
        return Part.NEVER
    if index == count - 2:
        return Part.APOLOGIES
    if index % 6 == 3:
        return Part.NIL
    if index % 7 == 2:
        return Part.UPDATES_ONLY
    if index == 4:
        return Part.LATE
    return Part.PRESENT


def cast_bodies(seeds: tuple[BodySeed, ...]) -> list[Body]:
    """People for every body: two for every third body, one for the rest."""
    bodies: list[Body] = []
    names = itertools.cycle(FIRST_NAMES)  # as many people as a large roster needs
    for index, seed in enumerate(seeds):
        people = []
        for n in range(2 if index % 3 == 0 else 1):
            first = next(names)
            people.append(
                Person(
                    user_id=f"UP{index:02d}{n}{seed.code[:4]}",
                    handle=f"{first.lower()}.{seed.code.lower()}",
                    real_name=f"{first} ({seed.code})",
                    code=seed.code,
                )
            )
        bodies.append(Body(seed.code, seed.name, part_for(index, len(seeds)), tuple(people)))
    return bodies


def update_texts(rng: random.Random, weekday: int, count: int) -> list[str]:
    """`count` well-formed thread replies for a day (events, plans, the odd urgent demand)."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    texts = []
    for _ in range(count):
        roll, place = rng.random(), rng.choice(PLACES)
        if roll < 0.55:
            threat, summary = rng.choice(EVENTS)
            when = rng.choice(("yesterday {h}:{m}", "today 0{e}:{m}", "{h}{m} yesterday"))
            when = when.format(
                h=rng.randint(14, 23), m=f"{rng.randrange(0, 60, 5):02d}", e=rng.randint(1, 7)
            )
            texts.append(f"EVENT | {threat} | {when} | {summary.format(place=place)}")
        elif roll < 0.9:
            threats, summary = rng.choice(PLANS)
            day = days[(weekday + rng.choice((1, 2))) % 7]
            at = f"{rng.choice((5, 6, 7))}{rng.choice(('00', '30'))}".zfill(4)
            texts.append(f"PLAN | {threats} | {day} {at} | {summary.format(place=place)}")
        else:
            threat, summary = rng.choice(DEMANDS)
            texts.append(f"URGENT | {threat} | {summary.format(place=place)}")
    return texts


# Replies that try to be updates but cannot be recorded, one or two a day.
MALFORMED = {
    0: (
        "EVENT | wombats | yesterday 21:00 | Suspicious parcel left at a depot in Hull",
        "EVENT | cyber | today 05:30 | SECRET source reporting on the intrusion",
    ),
    1: ("EVENT | drugs | 02/01 14:00 | Warehouse of cocaine found in Slough",),
    2: ("PLAN | firearms | yesterday 0600 | Search of a lock-up in Derby",),
    3: ("EVENT | OIC | Boat landing near Dover",),
    4: ("URGENT | | Need a contact at the port authority",),
}
