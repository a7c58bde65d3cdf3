"""`read_reply`: the strict form exactly as before, the tolerant forms, the five outcomes, and
what an answer carries (a reason code, plain words, a draft for the form)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from meeting.labels import REFUSAL_LABELS
from meeting.parsing import ParsedUpdate, ParseRejection, UpdateKind, parse_update_text
from meeting.reading import (
    Ambiguous,
    Conversation,
    NilReturn,
    Readable,
    Reading,
    Unreadable,
    read_reply,
)
from meeting.tolerant import READ_LIMIT
from tests.meeting.test_parsing import LONDON, NOV, OK, REFUSED, THREATS

pytestmark = pytest.mark.pure  # no database: the PostgreSQL pass skips it

CODES = frozenset({"BTP", "PSNI", "ERSOU", "EMSOU", "NCA", "TARIAN"})
AUTUMN = (date(2026, 10, 26), datetime(2026, 10, 26, 8, 45, tzinfo=UTC))


def _read(text: str, when: tuple[date, datetime] = NOV) -> Reading:
    return read_reply(
        text, briefing_date=when[0], now=when[1], zone=LONDON, threats=THREATS, body_codes=CODES
    )


def _strict(text: str, when: tuple[date, datetime]) -> ParsedUpdate | ParseRejection | None:
    return parse_update_text(
        text, briefing_date=when[0], now=when[1], zone=LONDON, threats=THREATS, body_codes=CODES
    )


def _z(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("case", OK, ids=[case[0][:40] for case in OK])
def test_the_strict_form_is_read_exactly_as_before(case: tuple[object, ...]) -> None:
    text, when = str(case[0]), case[1]
    assert isinstance(when, tuple)
    reading = _read(text, when)
    assert isinstance(reading, Readable) and not reading.inferred
    assert reading.update == _strict(text, when)


@pytest.mark.parametrize("case", REFUSED, ids=[case[2] for case in REFUSED])
def test_strict_refusals_keep_their_code_and_words(case: tuple[object, ...]) -> None:
    text, when, code = str(case[0]), case[1], case[2]
    assert isinstance(when, tuple)
    reading, strict = _read(text, when), _strict(text, when)
    assert isinstance(reading, Unreadable) and isinstance(strict, ParseRejection)
    assert (reading.code, reading.message) == (code, strict.message)


@pytest.mark.parametrize(
    "text",
    [
        "EVENT | drugs | 2240 | TOP SECRET source HERON",
        "<@U0CHAIR01> SECRET//UK EYES ONLY source HERON says Thu 0600",
        "Firearms, 2240 yesterday, top-secret report from HERON",
        "@00:sECRET",  # found by Hypothesis: the marking only in a part of the reply
    ],
)
def test_classified_text_is_refused_and_never_kept(text: str) -> None:
    reading = _read(text)
    assert isinstance(reading, Unreadable) and reading.code == "classified"
    assert reading.draft is None and "HERON" not in reading.message


@pytest.mark.parametrize(
    ("text", "kind", "threats", "at", "summary"),
    [
        ("Event: firearms, 0710 today, shots fired in Croydon", "event", ("FIREARMS",),
         _z(2026, 11, 23, 7, 10), "shots fired in Croydon"),
        ("event - firearms - 07:10 - shots fired", "event", ("FIREARMS",),
         _z(2026, 11, 23, 7, 10), "shots fired"),
        ("URGENT; cyber; need a contact at the trust", "demand", ("CYBER",), None,
         "need a contact at the trust"),
        ("PLAN\nOIC, MSHT\nThu 0600\nWarrants in Dover", "plan", ("MSHT", "OIC"),
         _z(2026, 11, 26, 6, 0), "Warrants in Dover"),
        ("sig event | 3 Nov 1400 | drugs | seizure at Tilbury", "event", ("DRUGS",),
         _z(2026, 11, 3, 14, 0), "seizure at Tilbury"),
        ("Planned – CSE – 7.10am Tue – safeguarding visits", "plan", ("CSEA",),
         _z(2026, 11, 24, 7, 10), "safeguarding visits"),
    ],
)  # fmt: skip
def test_near_misses_are_read(
    text: str, kind: str, threats: tuple[str, ...], at: datetime | None, summary: str
) -> None:
    reading = _read(text)
    assert isinstance(reading, Readable) and not reading.inferred, reading
    update = reading.update
    assert (update.kind.value, update.threats, update.occurs_at, update.summary) == (
        kind, threats, at, summary,
    )  # fmt: skip


def test_an_inferred_kind_and_a_part_of_the_day_are_noted_for_the_confirmation() -> None:
    reading = _read("OIC: warrants planned for tomorrow am at three addresses in Dover")
    assert isinstance(reading, Readable) and reading.inferred
    assert reading.update.kind is UpdateKind.PLAN
    assert reading.update.occurs_at == _z(2026, 11, 24, 9, 0)
    assert reading.notes == (
        "I took this to be an operational plan because the time is still to come.",
        "I read “tomorrow am” as Tue 24 Nov 09:00 GMT; edit the update if the exact time matters.",
    )


def test_two_readings_equally_likely_are_offered_as_choices() -> None:
    reading = _read("Drugs, Thu 0600, three addresses in Leeds")
    assert isinstance(reading, Ambiguous) and reading.code == "ambiguous_kind"
    event, plan = reading.choices
    assert (event.kind, event.occurs_at) == (UpdateKind.EVENT, _z(2026, 11, 19, 6, 0))
    assert (plan.kind, plan.occurs_at) == (UpdateKind.PLAN, _z(2026, 11, 26, 6, 0))
    assert "Thu 19 Nov 06:00" in reading.message and "Thu 26 Nov 06:00" in reading.message


def test_an_answer_says_what_was_missing_and_drafts_what_was_understood() -> None:
    reading = _read("Event – 2300 yesterday – stabbing outside a club in Peckham")
    assert isinstance(reading, Unreadable) and reading.code == "missing_threat"
    assert reading.message.startswith("Not recorded: I read this as a significant event, but")
    assert reading.draft is not None
    assert (reading.draft.kind, reading.draft.occurs_at, reading.draft.summary) == (
        UpdateKind.EVENT, _z(2026, 11, 22, 23, 0), "stabbing outside a club in Peckham",
    )  # fmt: skip


def test_an_answer_quotes_only_a_short_fragment() -> None:
    reading = _read("EVENT | firearms | Sun 01:30 GMTX " + "words " * 50 + "| shots", AUTUMN)
    assert isinstance(reading, Unreadable)
    assert "words " * 12 not in reading.message


def test_labelled_location_and_body_to_respond_are_read_in_any_form() -> None:
    reading = _read("Urgent – cyber – for: PSNI – where: Belfast – need a contact by 1400")
    assert isinstance(reading, Readable)
    update = reading.update
    assert (update.respond_code, update.location, update.occurs_at) == (
        "PSNI", "Belfast", _z(2026, 11, 23, 14, 0),
    )  # fmt: skip


def test_a_strict_demand_takes_its_due_time_from_by() -> None:
    reading = _read("URGENT | cyber | need a contact at the trust by 1700 today")
    assert isinstance(reading, Readable) and reading.update.occurs_at == _z(2026, 11, 23, 17, 0)
    assert reading.notes == ("I took the due time from “1700 today”: Mon 23 Nov 17:00 GMT.",)


@pytest.mark.parametrize(
    ("text", "body"),
    [("Nothing to report from BTP", "BTP"), ("Nil return", None), ("NTR", None),
     ("nil from Tarian", "TARIAN"), ("Events: none. Plans: none.", None),
     ("<@U0CHAIR01> nil return from PSNI", "PSNI")],
)  # fmt: skip
def test_nil_returns_in_words(text: str, body: str | None) -> None:
    assert _read(text) == NilReturn(body)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("<@U0CHAIR01> can you call me after", "addressed"), ("Thanks Sarah", "thanks"),
     ("+1", "plus_one"), ("🙏🙏", "emoji"), (":pray:", "emoji"),
     ("Morning all, dialling in now", "social"), ("", "empty")],
)  # fmt: skip
def test_plain_conversation_is_left_alone(text: str, reason: str) -> None:
    assert _read(text) == Conversation(reason)


@pytest.mark.parametrize(
    "text",
    ["Urgent: can someone call me?", "plan for today?", "Is anyone from BTP on the call?",
     "Apologies from HMPPS today", "Thanks – can BTP check the firearms flag on that car?",
     "Nothing to report but we need dogs at Dover by 1400"],
)  # fmt: skip
def test_anything_else_is_answered(text: str) -> None:
    assert isinstance(_read(text), Unreadable | Readable | Ambiguous)


def test_an_update_addressed_to_someone_is_still_read() -> None:
    reading = _read("<@U0CHAIR01> EVENT | firearms | yesterday 22:40 | shots fired")
    assert isinstance(reading, Readable) and reading.update.threats == ("FIREARMS",)


def test_a_reply_longer_than_is_read_is_too_long_never_cut() -> None:
    text = "EVENT | firearms | yesterday 22:40 | " + " | ".join(["firearms"] * (READ_LIMIT // 8))
    reading = _read(text)
    assert isinstance(reading, Unreadable) and reading.code == "summary_too_long"


def test_every_reason_code_has_words() -> None:
    readings = [_read(str(case[0]), case[1]) for case in REFUSED]  # type: ignore[arg-type]
    readings += [_read(t) for t in ("Big op later", "Event: drugs, shots", "EVENT - drugs - 0710")]
    codes = {r.code for r in readings if isinstance(r, Unreadable | Ambiguous)}
    codes |= {"outside_window", "due_passed", "not_member", "several_bodies", "no_briefing"}
    assert codes <= REFUSAL_LABELS.keys()
    assert all(REFUSAL_LABELS.values())
