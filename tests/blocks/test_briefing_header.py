"""The briefing header: times, a live roll call, at most `header_demands` carried demands with
their age, the roll-call buttons on the first screen, and the closed variant."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blocks.briefing import HeaderView, build_briefing_header, build_header_fallback, roll_call_text
from blocks.ids import ActionId, BlockId
from blocks.text import blocks_to_text
from meeting.demands import OpenDemand
from meeting.week import Tally
from tests.rig.fake_slack import validate_blocks

LONDON = ZoneInfo("Europe/London")
FRIDAY = date(2026, 11, 27)


def _demand(n: int, summary: str = "Need a contact at the trust", **more: Any) -> OpenDemand:
    raised = date(2026, 11, 23 + n % 4)
    fields: dict[str, Any] = {
        "id": n,
        "body_code": "ERSOU",
        "summary": summary,
        "due_at": None,
        "raised_at": datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        "raised_on": raised,
        "age_days": (FRIDAY - raised).days,
    }
    return OpenDemand(**{**fields, **more})


def _view(**changes: Any) -> HeaderView:
    base: dict[str, Any] = {
        "meeting_date": FRIDAY,
        "events_from": datetime(2026, 11, 26, 8, 30, tzinfo=UTC),
        "opened_at": datetime(2026, 11, 27, 8, 30, tzinfo=UTC),
        "plans_until": datetime(2026, 11, 30, 8, 30, tzinfo=UTC),
        "zone": LONDON,
        "call_at": datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
        "closes_at": datetime(2026, 11, 27, 11, 0, tzinfo=UTC),
        "roll": Tally(present=15, nil=3, apologies=3, not_recorded=4),
    }
    base.update(changes)
    return HeaderView(**base)


def _index(blocks: list[dict[str, Any]], block_id: str) -> int:
    return next(i for i, b in enumerate(blocks) if b.get("block_id") == block_id)


def test_the_header_states_the_call_the_close_and_the_roll_call() -> None:
    blocks = build_briefing_header(_view())
    assert validate_blocks(blocks, surface="message") == []
    text = blocks_to_text(blocks)
    assert "Daily Briefing Meeting: Friday 27 November 2026" in text
    assert "*Call at 09:30* · closes at 11:00 (UK time)" in text
    assert "*Roll call:* 18 of 25 bodies checked in · 3 apologies · 4 to go" in text


def test_the_roll_call_buttons_come_before_the_windows_and_the_demands() -> None:
    demands = tuple(_demand(n) for n in range(5))
    blocks = build_briefing_header(_view(open_demands=demands))
    buttons = _index(blocks, BlockId.ROLL_CALL)
    assert buttons == 2  # title, times and roll call, then the buttons
    assert buttons < _index(blocks, BlockId.WINDOWS) < _index(blocks, BlockId.DEMANDS)
    actions = [e["action_id"] for e in blocks[buttons]["elements"]]
    assert actions == [
        ActionId.ROLL_PRESENT,
        ActionId.ROLL_NIL,
        ActionId.ROLL_APOLOGIES,
        ActionId.ADD_UPDATE,
    ]


def test_the_header_for_a_rush_of_sixty_check_ins() -> None:
    texts = [roll_call_text(Tally(present=n, not_recorded=60 - n)) for n in range(61)]
    assert texts[0] == "0 of 60 bodies checked in · 60 to go"
    assert texts[18] == "18 of 60 bodies checked in · 42 to go"
    assert texts[60] == "60 of 60 bodies checked in · every body has answered"
    mixed = Tally(present=40, nil=12, apologies=5, absent=1, not_recorded=2)
    assert roll_call_text(mixed) == (
        "52 of 60 bodies checked in · 5 apologies · 1 absent · 2 to go"
    )
    blocks = build_briefing_header(_view(roll=mixed))
    assert validate_blocks(blocks, surface="message") == []


def test_singular_counts_read_well() -> None:
    one = Tally(apologies=1)
    assert roll_call_text(one) == "0 of 1 body checked in · 1 apology · every body has answered"


def test_at_most_the_limit_of_demands_oldest_first_with_age_then_how_many_more() -> None:
    demands = tuple(_demand(n, f"demand {n}") for n in range(8))
    text = blocks_to_text(build_briefing_header(_view(open_demands=demands, demand_limit=5)))
    assert "*Open urgent demands carried (8)*" in text
    assert "• *ERSOU*: demand 0 · raised Mon 23/11, 4 days" in text
    assert "demand 4" in text and "demand 5" not in text
    assert "and 3 more: `/dbm demands`" in text


def test_the_total_can_exceed_the_demands_read() -> None:
    shown = (_demand(0, due_at=datetime(2026, 11, 28, 12, 0, tzinfo=UTC)),)
    text = blocks_to_text(build_briefing_header(_view(open_demands=shown, demands_total=654)))
    assert "*Open urgent demands carried (654)*" in text
    assert "due Sat 28 Nov 12:00 GMT" in text
    assert "and 653 more: `/dbm demands`" in text
    none = blocks_to_text(
        build_briefing_header(_view(open_demands=(), demands_total=3, demand_limit=0))
    )
    assert "There are 3 more: `/dbm demands`" in none


def test_a_long_or_hostile_demand_stays_one_inert_line() -> None:
    hostile = _demand(1, "<!channel> " + "x" * 500 + "\nsecond line")
    text = blocks_to_text(build_briefing_header(_view(open_demands=(hostile,))))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    line = next(t for t in text.splitlines() if "ERSOU" in t)
    assert len(line) < 250 and "second line" not in text


def test_no_demands_no_demand_section() -> None:
    blocks = build_briefing_header(_view())
    assert not any(b.get("block_id") == BlockId.DEMANDS for b in blocks)


def test_the_closed_header_replaces_the_buttons_with_a_note() -> None:
    closed = _view(
        closed_at=datetime(2026, 11, 27, 11, 0, tzinfo=UTC),
        roll=Tally(present=18, nil=2, apologies=3, absent=2),
    )
    blocks = build_briefing_header(closed)
    assert validate_blocks(blocks, surface="message") == []
    assert not any(b["type"] == "actions" for b in blocks)
    assert _index(blocks, BlockId.CLOSED) == 2
    text = blocks_to_text(blocks)
    assert "*Closed at 11:00* — the digest is in the thread." in text
    assert "*Final roll call:* 20 of 25 bodies checked in · 3 apologies · 2 absent" in text
    assert "marked late" in text
    assert build_header_fallback(closed).endswith("Closed: the digest is in the thread.")


def test_an_older_caller_without_times_still_gets_a_valid_header() -> None:
    """bot/opening.py builds the view without the issue-13 fields until the lead rewires it."""
    plain = HeaderView(
        meeting_date=FRIDAY,
        events_from=datetime(2026, 11, 26, 8, 30, tzinfo=UTC),
        opened_at=datetime(2026, 11, 27, 8, 30, tzinfo=UTC),
        plans_until=datetime(2026, 11, 30, 8, 30, tzinfo=UTC),
        zone=LONDON,
    )
    blocks = build_briefing_header(plain)
    assert validate_blocks(blocks, surface="message") == []
    assert _index(blocks, BlockId.ROLL_CALL) == 1
