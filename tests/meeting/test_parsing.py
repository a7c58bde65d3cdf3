"""The thread-reply parser: a table of cases (UK dates, relative days, DST) and a property test."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.files import load_threats
from config.settings import CONFIG_DIR
from meeting.parsing import ParsedUpdate, ParseRejection, parse_update_text

pytestmark = pytest.mark.pure  # no database: the PostgreSQL pass skips it

LONDON = ZoneInfo("Europe/London")
THREATS = load_threats(CONFIG_DIR / "threats.toml")
NOV = (date(2026, 11, 23), datetime(2026, 11, 23, 9, 20, tzinfo=UTC))  # Monday, GMT
SPRING = (date(2026, 3, 30), datetime(2026, 3, 30, 8, 20, tzinfo=UTC))  # clocks went forward Sun
AUTUMN = (date(2026, 10, 26), datetime(2026, 10, 26, 9, 20, tzinfo=UTC))  # clocks went back Sun


def _z(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _parse(text: str, when: tuple[date, datetime] = NOV) -> ParsedUpdate | ParseRejection | None:
    return parse_update_text(text, briefing_date=when[0], now=when[1], zone=LONDON, threats=THREATS)


OK = [
    # (text, base, kind, threats, instant)
    (
        "EVENT | firearms | yesterday 22:40 | x",
        NOV,
        "event",
        ("FIREARMS",),
        _z(2026, 11, 22, 22, 40),
    ),
    (
        "event | FIREARMS | yesterday 2240 | x",
        NOV,
        "event",
        ("FIREARMS",),
        _z(2026, 11, 22, 22, 40),
    ),
    ("Event | Guns | 22:40 yesterday | x", NOV, "event", ("FIREARMS",), _z(2026, 11, 22, 22, 40)),
    ("EVENT | firearms | 2240 | x", NOV, "event", ("FIREARMS",), _z(2026, 11, 22, 22, 40)),
    ("EVENT | firearms | 0700 | x", NOV, "event", ("FIREARMS",), _z(2026, 11, 23, 7, 0)),
    ("PLAN | OIC | 0700 | x", NOV, "plan", ("OIC",), _z(2026, 11, 24, 7, 0)),
    ("PLAN | OIC, MSHT | Thu 0600 | x", NOV, "plan", ("MSHT", "OIC"), _z(2026, 11, 26, 6, 0)),
    ("PLAN | oic | thursday 06:00 | x", NOV, "plan", ("OIC",), _z(2026, 11, 26, 6, 0)),
    ("EVENT | drugs | Sat 14:00 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 21, 14, 0)),
    ("EVENT | drugs | Mon 07:30 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 23, 7, 30)),
    ("PLAN | drugs | Mon 14:00 | x", NOV, "plan", ("DRUGS",), _z(2026, 11, 23, 14, 0)),
    ("PLAN | drugs | next Mon 14:00 | x", NOV, "plan", ("DRUGS",), _z(2026, 11, 30, 14, 0)),
    ("EVENT | drugs | last Mon 14:00 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 16, 14, 0)),
    ("EVENT | drugs | 22/11 21:15 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 21, 15)),
    ("EVENT | drugs | 03/04 10:00 | x", NOV, "event", ("DRUGS",), _z(2026, 4, 3, 9, 0)),
    ("PLAN | drugs | 03/04 10:00 | x", NOV, "plan", ("DRUGS",), _z(2027, 4, 3, 9, 0)),
    ("EVENT | drugs | 3 April 2026 2240 | x", NOV, "event", ("DRUGS",), _z(2026, 4, 3, 21, 40)),
    ("EVENT | drugs | 22/11/2026 21:15 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 21, 15)),
    ("EVENT | drugs | 22.11.26 21:15 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 21, 15)),
    ("EVENT | drugs | 10pm yesterday | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 22, 0)),
    ("EVENT | drugs | yesterday 2240hrs | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 22, 40)),
    ("PLAN | drugs | tomorrow noon | x", NOV, "plan", ("DRUGS",), _z(2026, 11, 24, 12, 0)),
    ("Incident | drugs | 2240 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 22, 40)),
    ("OP | drugs | tomorrow 0600 | x", NOV, "plan", ("DRUGS",), _z(2026, 11, 24, 6, 0)),
    ("*EVENT* | drugs | 2240 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 22, 40)),
    ("EVENT: | drugs | 2240 | x", NOV, "event", ("DRUGS",), _z(2026, 11, 22, 22, 40)),
    (
        "EVENT | Bribery, corruption and sanctions evasion | 2240 | x",
        NOV,
        "event",
        ("BRIBERY",),
        _z(2026, 11, 22, 22, 40),
    ),
    (
        "EVENT | CSE & modern slavery | 2240 | x",
        NOV,
        "event",
        ("CSEA", "MSHT"),
        _z(2026, 11, 22, 22, 40),
    ),
    (
        "EVENT | money laundering/fraud | 2240 | x",
        NOV,
        "event",
        ("HEML", "FRAUD"),
        _z(2026, 11, 22, 22, 40),
    ),
    ("URGENT | cyber | need help", NOV, "demand", ("CYBER",), None),
    ("urgent | cyber | Fri 1200 | need help", NOV, "demand", ("CYBER",), _z(2026, 11, 27, 12, 0)),
    ("DEMAND | cyber | need help | more", NOV, "demand", ("CYBER",), None),
    # Spring forward, Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    ("EVENT | drugs | 29/03 00:30 | x", SPRING, "event", ("DRUGS",), _z(2026, 3, 29, 0, 30)),
    ("EVENT | drugs | Sun 02:30 | x", SPRING, "event", ("DRUGS",), _z(2026, 3, 29, 1, 30)),
    ("EVENT | drugs | yesterday 09:00 | x", SPRING, "event", ("DRUGS",), _z(2026, 3, 29, 8, 0)),
    # Fall back, Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT.
    ("EVENT | drugs | Sun 01:30 BST | x", AUTUMN, "event", ("DRUGS",), _z(2026, 10, 25, 0, 30)),
    ("EVENT | drugs | Sun 01:30 GMT | x", AUTUMN, "event", ("DRUGS",), _z(2026, 10, 25, 1, 30)),
    ("EVENT | drugs | 25/10 00:59 | x", AUTUMN, "event", ("DRUGS",), _z(2026, 10, 24, 23, 59)),
    ("EVENT | drugs | 25/10 02:00 | x", AUTUMN, "event", ("DRUGS",), _z(2026, 10, 25, 2, 0)),
    ("EVENT | drugs | 24/10 09:00 | x", AUTUMN, "event", ("DRUGS",), _z(2026, 10, 24, 8, 0)),
]

REFUSED = [
    ("EVENT | drugs | 11/22 21:15 | x", NOV, "not_uk_date"),
    ("EVENT | drugs | 31/11 21:15 | x", NOV, "unclear_date"),
    ("EVENT | drugs | Thu 20/11 10:00 | x", NOV, "weekday_mismatch"),
    ("EVENT | drugs | yesterday | x", NOV, "no_time"),
    ("EVENT | drugs | Shots fired in Leeds", NOV, "missing_time"),
    ("EVENT | drugs | yesterday 22:40", NOV, "missing_summary"),
    ("EVENT | drugs | yesterday 22:40 |   ", NOV, "missing_summary"),
    ("EVENT | frogs | yesterday 22:40 | x", NOV, "unknown_threat"),
    ("EVENT |  | yesterday 22:40 | x", NOV, "missing_threat"),
    ("EVENT | drugs | 2240 | SECRET detail", NOV, "classified"),
    ("URGENT | cyber | 31/10/2027 01:30 | x", NOV, "ambiguous_time"),
    ("EVENT | drugs | Sun 01:30 | x", SPRING, "nonexistent_time"),
    ("EVENT | drugs | yesterday 01:59 | x", SPRING, "nonexistent_time"),
    ("EVENT | drugs | Sun 01:30 | x", AUTUMN, "ambiguous_time"),
    ("EVENT | drugs | 25/10/2026 0115 | x", AUTUMN, "ambiguous_time"),
    ("EVENT | drugs | 2240 | " + "y" * 1501, NOV, "summary_too_long"),
]


@pytest.mark.parametrize(("text", "base", "kind", "threats", "instant"), OK)
def test_updates_are_read(
    text: str, base: tuple[date, datetime], kind: str, threats: tuple[str, ...], instant: datetime
) -> None:
    parsed = _parse(text, base)
    assert isinstance(parsed, ParsedUpdate), parsed
    assert (parsed.kind.value, parsed.threats, parsed.occurs_at) == (kind, threats, instant)


@pytest.mark.parametrize(("text", "base", "code"), REFUSED)
def test_bad_updates_are_refused_with_a_reason_and_an_example(
    text: str, base: tuple[date, datetime], code: str
) -> None:
    parsed = _parse(text, base)
    assert isinstance(parsed, ParseRejection), parsed
    assert parsed.code == code
    assert parsed.message.startswith("Not recorded:") and "`" in parsed.message
    if code != "classified":
        assert "For example:\n`" in parsed.message


@pytest.mark.parametrize(
    "text",
    [
        "Morning all",
        "hello | there",
        "EVENT firearms yesterday",
        "Urgent: can someone call me?",
        "The plan | is fine",
        "",
        "|",
    ],
)
def test_conversation_is_not_an_update(text: str) -> None:
    assert _parse(text) is None


def test_body_code_summary_and_marking() -> None:
    first = _parse("ERSOU EVENT | drugs | 2240 | a &lt; b &amp; c")
    second = parse_update_text(
        "event ersou | drugs | 2240 | see <https://example.com|the report> now",
        briefing_date=NOV[0],
        now=NOV[1],
        zone=LONDON,
        threats=THREATS,
        body_codes=frozenset({"ERSOU", "BTP"}),
    )
    third = _parse("EVENT | drugs | 2240 | OFFICIAL-SENSITIVE: detail")
    assert isinstance(first, ParsedUpdate) and isinstance(second, ParsedUpdate)
    assert isinstance(third, ParsedUpdate)
    assert (first.body_code, first.summary) == ("ERSOU", "a < b & c")
    assert (second.body_code, second.summary) == (
        "ERSOU",
        "see <https://example.com|the report> now",
    )
    assert third.marking == "OFFICIAL-SENSITIVE" and first.marking == "OFFICIAL"


def test_a_classified_refusal_does_not_echo_the_text() -> None:
    parsed = _parse("EVENT | drugs | 2240 | TOP SECRET source HERON")
    assert isinstance(parsed, ParseRejection) and "HERON" not in parsed.message


SLACKY = st.sampled_from(
    [
        "|",
        "EVENT",
        "PLAN",
        "URGENT",
        "firearms",
        "MSHT",
        "<!channel>",
        "<@U123>",
        "<!subteam^S1>",
        "@here",
        "\u202e",
        "\u200f",
        "\x00",
        "\x1b",
        "😀",
        "03/04",
        "29/03",
        "25/10",
        "01:30",
        "2240",
        "yesterday",
        "Thu",
        "BST",
        " ",
        "\n",
        "&lt;",
        "<https://x|y>",
        "SECRET",
        "31/02",
        "99:99",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(SLACKY, st.text(max_size=12)), max_size=30).map("".join),
    st.lists(st.one_of(SLACKY, st.text(max_size=8)), min_size=1, max_size=6).map(
        lambda parts: "".join(parts) * (40_000 // max(1, len("".join(parts))) + 1)
    ),
)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, base=st.sampled_from([NOV, SPRING, AUTUMN]))
def test_the_parser_never_raises(text: str, base: tuple[date, datetime]) -> None:
    parsed = _parse(text, base)
    assert parsed is None or isinstance(parsed, ParsedUpdate | ParseRejection)
    if isinstance(parsed, ParseRejection):
        assert parsed.message


def test_forty_kilobytes_of_awkward_text_is_handled() -> None:
    junk = "EVENT | firearms | yesterday 22:40 | " + ("\u202e😀<!channel>\x00 " * 4000)
    parsed = _parse(junk[:40_000])
    assert isinstance(parsed, ParseRejection) and parsed.code == "summary_too_long"
    assert _parse("\u202e" * 40_000) is None


def test_a_location_and_the_body_asked_to_respond_are_labelled_fields() -> None:
    codes = frozenset({"PSNI", "BTP"})
    event = parse_update_text(
        "EVENT | firearms | where: Salford, Greater Manchester | yesterday 22:40 | Shots fired",
        briefing_date=NOV[0], now=NOV[1], zone=LONDON, threats=THREATS, body_codes=codes,
    )  # fmt: skip
    demand = parse_update_text(
        "URGENT | cyber | Fri 12:00 | For: psni | Location: Belfast | Need a hospital contact",
        briefing_date=NOV[0], now=NOV[1], zone=LONDON, threats=THREATS, body_codes=codes,
    )  # fmt: skip
    assert isinstance(event, ParsedUpdate) and isinstance(demand, ParsedUpdate)
    assert (event.location, event.respond_code, event.summary) == (
        "Salford, Greater Manchester",
        None,
        "Shots fired",
    )
    assert event.occurs_at == _z(2026, 11, 22, 22, 40)
    assert (demand.location, demand.respond_code, demand.summary) == (
        "Belfast",
        "PSNI",
        "Need a hospital contact",
    )
    assert demand.occurs_at == _z(2026, 11, 27, 12, 0)


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("EVENT | drugs | 2240 | for: PSNI | seizure", "bad_respond", "only an urgent demand"),
        ("URGENT | cyber | for: NOBODY | need a contact", "bad_respond", "names no body"),
        ("URGENT | cyber | for: | need a contact", "bad_respond", "empty"),
        ("PLAN | OIC | Thu 0600 | where: Dover | where: Deal | warrants", "bad_location", "twice"),
        ("PLAN | OIC | Thu 0600 | where: " + "x" * 201 + " | warrants", "bad_location", "201"),
    ],
)
def test_bad_labelled_fields_are_refused_saying_why(text: str, code: str, says: str) -> None:
    parsed = parse_update_text(
        text, briefing_date=NOV[0], now=NOV[1], zone=LONDON, threats=THREATS,
        body_codes=frozenset({"PSNI"}),
    )  # fmt: skip
    assert isinstance(parsed, ParseRejection) and parsed.code == code and says in parsed.message
