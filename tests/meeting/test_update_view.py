"""The one read model of a stored update, and its loader."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col

from config.settings import Settings
from meeting.roster import body_by_code, seed_bodies
from meeting.update_view import load_update_view, load_update_views
from storage.db import session_scope
from storage.models import Briefing, Update

OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ORDER_AT = OPENED + timedelta(minutes=30)


def _stored(engine: Engine, settings: Settings) -> tuple[int, int, int]:
    """A briefing whose running order was posted, a withdrawn event stored before it and a
    demand of BTP's asked of NCA stored after it, with no summary: (briefing, event, demand)."""
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=settings.bodies, today=date(2026, 1, 1), now=OPENED)
        nca, btp = (body_by_code(session=session, code=code) for code in ("NCA", "BTP"))
        assert nca is not None and nca.id is not None and btp is not None and btp.id is not None
        briefing = Briefing(
            channel_id="C0DBM", meeting_date=date(2026, 11, 23), status="open", thread_ts="1.0",
            events_from=OPENED - timedelta(hours=24), plans_until=OPENED + timedelta(hours=72),
            claimed_at=OPENED, claimed_by="test", opened_at=OPENED, running_order_at=ORDER_AT,
        )  # fmt: skip
        session.add(briefing)
        session.flush()
        assert briefing.id is not None
        common = {"briefing_id": briefing.id, "source": "modal", "channel_id": "C0DBM"}
        event = Update(
            dedupe_key="e", body_id=nca.id, author_id="UALICE", kind="event",
            threats=["DRUGS"], summary="Cannabis farm", location="Leeds", status="withdrawn",
            occurs_at=OPENED - timedelta(hours=3), created_at=OPENED + timedelta(minutes=5),
            updated_at=OPENED, **common,
        )  # fmt: skip
        demand = Update(
            dedupe_key="d", body_id=btp.id, author_id="UBOB", kind="demand",
            threats=["DRUGS", "FIREARMS"], summary=None, demand_status="open",
            respond_body_id=nca.id, due_at=OPENED + timedelta(hours=4), late=True,
            created_at=ORDER_AT + timedelta(minutes=1), updated_at=OPENED, **common,
        )  # fmt: skip
        session.add_all([event, demand])
        session.flush()
        assert event.id is not None and demand.id is not None
        return briefing.id, event.id, demand.id


def test_the_view_carries_what_every_surface_shows(engine: Engine, settings: Settings) -> None:
    briefing_id, event_id, demand_id = _stored(engine, settings)
    with session_scope(engine) as session:
        views = load_update_views(session=session, where=[col(Update.briefing_id) == briefing_id])
    event, demand = views  # in the order they were stored
    assert (event.update_id, event.body_code, event.status) == (event_id, "NCA", "withdrawn")
    assert (event.location, event.summary, event.after_order) == ("Leeds", "Cannabis farm", False)
    assert not event.cross_cutting and event.marking == "OFFICIAL"
    assert (demand.update_id, demand.briefing_id) == (demand_id, briefing_id)
    assert (demand.body_code, demand.author_id, demand.respond_body_code) == ("BTP", "UBOB", "NCA")
    assert demand.demand_status == "open"
    assert demand.summary == "" and demand.late and demand.after_order and demand.cross_cutting
    assert demand.threats == ("DRUGS", "FIREARMS")  # as stored
    assert demand.due_at == OPENED + timedelta(hours=4)


def test_threats_in_the_configured_order_when_given(engine: Engine, settings: Settings) -> None:
    _, _, demand_id = _stored(engine, settings)
    with session_scope(engine) as session:
        where = [col(Update.id) == demand_id]
        (demand,) = load_update_views(session=session, where=where, threats=settings.threats)
        assert demand.threats == ("FIREARMS", "DRUGS")  # a national priority threat first
        assert load_update_view(session=session, update_id=demand_id) is not None
        assert load_update_view(session=session, update_id=demand_id + 100) is None
