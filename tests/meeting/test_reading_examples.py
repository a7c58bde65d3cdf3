"""Every example people are shown (the guidance, the briefing header, the examples in answers)
is read as it is meant. Examples are taken from the files, so a new one needs its intention
stated here."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from blocks.briefing import HeaderView, build_briefing_header
from config.settings import load_settings
from meeting.guidance import load_guidance
from meeting.parsing import EXAMPLES
from meeting.reading import NilReturn, Readable, Reading, Unreadable, read_reply
from tests.meeting.test_parsing import LONDON, NOV, THREATS

CODES = frozenset({"BTP", "PSNI", "SEROCU", "EMSOU", "VIPER", "HOIE"})
_SPAN_BULLET = re.compile(r"^- `([^`]+)`$", re.MULTILINE)
_QUOTED = re.compile(r'\*\*(?:Good|Poor):\*\* "([^"]+)"')
_PIPED_SPAN = re.compile(r"`([^`]*\|[^`]*)`")


def _z(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# (outcome, kind, threats, instant) for an update; ("nil",) or ("answer",) otherwise.
Intention = tuple[object, ...]
SALFORD = ("update", "event", ("FIREARMS",), _z(2026, 11, 22, 22, 40))
DOVER = ("update", "plan", ("MSHT", "OIC"), _z(2026, 11, 26, 6, 0))
HOSPITAL = ("update", "demand", ("CYBER",), _z(2026, 11, 27, 12, 0))
CROYDON = ("update", "event", ("FIREARMS",), _z(2026, 11, 23, 7, 10))
INTENDED: dict[str, Intention] = {
    # The guidance: the strict form, the tolerant forms, labelled parts, nil returns.
    "EVENT | firearms | yesterday 22:40 | Shots fired at a house in Salford; no injuries": SALFORD,
    "PLAN | OIC, MSHT | Thu 0600 | Warrants at three addresses in Dover": DOVER,
    "URGENT | cyber | Fri 12:00 | Need a contact at the hospital trust hit by ransomware": HOSPITAL,
    "Event: firearms, 0710 today, shots fired at a car in Croydon": CROYDON,
    "event - firearms - 07:10 - shots fired at a car in Croydon": CROYDON,
    "Shots fired at a car in Croydon at 07:10 today, firearms officers attended": CROYDON,
    "URGENT | cyber | Fri 12:00 | for: PSNI | where: Belfast | Need a contact at the hospital "
    "trust hit by ransomware": HOSPITAL,
    "Nothing to report": ("nil",),
    "Nil return from BTP": ("nil",),
    "NTR": ("nil",),
    # The guidance's good and poor examples of each kind.
    "Firearms. 22:40 last night, M62 near junction 26: vehicle stop by the ROCU, one handgun and "
    "40 rounds recovered, two men arrested. Early intelligence links the weapon to a supplier "
    "also active in the East Midlands. EMSOU informed. Our reference OP-1234.": SALFORD,
    "Gun job last night, all in hand.": ("update", "event", ("FIREARMS",), _z(2026, 11, 22, 22)),
    "OIC and MSHT. Thursday 06:00, three addresses in the West Midlands: warrants against a group "
    "moving people through small boats and then into forced labour. VIPER leading, Border Force "
    "and HOIE supporting. Possible links to addresses in Kent: SEROCU, please contact us before "
    "Wednesday noon.": DOVER,
    "Big op later this week.": ("answer",),
    "Cyber. Ransomware attack on an NHS supplier reported at 07:15. We need any force holding "
    "reports from the same supplier to contact our cyber crime unit by 14:00 today. Indicators "
    "are being shared through the usual secure route.": (
        "update",
        "demand",
        ("CYBER",),
        _z(2026, 11, 23, 14, 0),
    ),  # fmt: skip
    "Can everyone keep an eye out for anything cyber?": ("answer",),
    # The briefing header (meeting.parsing.EXAMPLES, shown in answers, are the strict ones above).
    "EVENT | firearms | yesterday 22:40 | what happened": SALFORD,
}


def guidance_examples() -> list[str]:
    """Example replies in the guidance: bullets that are only a code span, and the good and
    poor examples in quotes."""
    markdown = load_guidance(load_settings({})).markdown
    return _SPAN_BULLET.findall(markdown) + _QUOTED.findall(markdown)


def header_examples() -> list[str]:
    """Example replies on the briefing header, and those the answers show."""
    opened = _z(2026, 11, 23, 8, 30)
    view = HeaderView(NOV[0], opened - timedelta(days=3), opened, opened + timedelta(hours=72),
                      LONDON)  # fmt: skip
    return _PIPED_SPAN.findall(json.dumps(build_briefing_header(view))) + list(EXAMPLES.values())


def _read(text: str) -> Reading:
    return read_reply(
        text, briefing_date=NOV[0], now=_z(2026, 11, 23, 8, 45), zone=LONDON, threats=THREATS,
        body_codes=CODES,
    )  # fmt: skip


def _as_read(reading: Reading) -> Intention:
    if isinstance(reading, Readable):
        update = reading.update
        return ("update", update.kind.value, update.threats, update.occurs_at)
    if isinstance(reading, NilReturn):
        return ("nil",)
    return ("answer",) if isinstance(reading, Unreadable) else (type(reading).__name__,)


def test_the_files_have_examples_and_each_has_its_intention_stated() -> None:
    found = guidance_examples() + header_examples()
    assert len(guidance_examples()) >= 16 and len(header_examples()) >= 4
    assert [text for text in found if text not in INTENDED] == []
    assert set(INTENDED) == set(found), "an intention is stated for an example no longer shown"


@pytest.mark.parametrize("text", guidance_examples() + header_examples())
def test_each_example_is_read_as_intended(text: str) -> None:
    assert _as_read(_read(text)) == INTENDED[text]
