"""`read_reply_as`: a reply read again as the kind its sender chose (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meeting.parsing import UpdateKind
from meeting.reading import Readable, Unreadable, read_reply, read_reply_as
from tests.meeting.test_parsing import LONDON, THREATS

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 20, tzinfo=UTC)


def _as(text: str, kind: UpdateKind) -> Readable | Unreadable:
    return read_reply_as(text, kind, briefing_date=DAY, now=NOW, zone=LONDON, threats=THREATS)


def test_a_weekday_is_the_last_one_for_an_event_and_the_next_for_a_plan() -> None:
    text = "firearms: Thu 0600 Dover address"
    event, plan = _as(text, UpdateKind.EVENT), _as(text, UpdateKind.PLAN)
    assert isinstance(event, Readable) and isinstance(plan, Readable)
    assert event.update.occurs_at == datetime(2026, 11, 19, 6, 0, tzinfo=UTC)
    assert plan.update.occurs_at == datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    assert (event.update.kind, plan.update.kind) == (UpdateKind.EVENT, UpdateKind.PLAN)
    assert not event.inferred and event.update.threats == ("FIREARMS",)


def test_the_strict_form_read_as_its_own_kind_is_read_as_before() -> None:
    text = "PLAN | OIC, MSHT | Thu 0600 | Warrants at three addresses in Dover"
    before = read_reply(text, briefing_date=DAY, now=NOW, zone=LONDON, threats=THREATS)
    assert _as(text, UpdateKind.PLAN) == before


def test_what_a_kind_needs_and_is_not_there_is_said() -> None:
    found = _as("Need a firearms tactical adviser in Leeds", UpdateKind.PLAN)
    assert isinstance(found, Unreadable) and found.code == "missing_time"
    assert found.draft is not None and found.draft.kind is UpdateKind.PLAN


def test_secret_material_is_refused_whatever_the_kind() -> None:
    found = _as("SECRET: source NIGHTJAR, firearms Thu 0600", UpdateKind.EVENT)
    assert isinstance(found, Unreadable) and found.code == "classified" and found.draft is None
    assert "NIGHTJAR" not in found.message


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(list(UpdateKind)))
def test_it_never_raises(text: str, kind: UpdateKind) -> None:
    found = _as(text, kind)
    assert isinstance(found, Readable | Unreadable)
    if isinstance(found, Readable):
        assert found.update.kind is kind
