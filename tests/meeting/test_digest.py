"""Building the digest, and rendering it within Slack's limits without dropping items."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from blocks.digest import build_digest_parts
from config.settings import Settings
from meeting.digest import Digest, build_digest
from meeting.roster import body_by_code, seed_bodies
from storage.db import session_scope
from storage.models import Briefing, Update
from tests.rig.fake_slack import validate_blocks

LONDON = ZoneInfo("Europe/London")
OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _digest(engine: Engine, settings: Settings, rows: list[dict[str, object]]) -> Digest:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=settings.bodies, today=date(2026, 1, 1), now=OPENED)
        briefing = Briefing(
            channel_id="C0DBM",
            meeting_date=date(2026, 11, 23),
            status="open",
            thread_ts="1.0",
            events_from=OPENED - timedelta(hours=24),
            plans_until=OPENED + timedelta(hours=72),
            claimed_at=OPENED,
            claimed_by="test",
            opened_at=OPENED,
        )
        session.add(briefing)
        session.flush()
        for n, row in enumerate(rows):
            body = body_by_code(session=session, code=str(row.pop("body", "NCA")))
            assert body is not None and body.id is not None and briefing.id is not None
            fields: dict[str, object] = {
                "dedupe_key": f"k{n}",
                "briefing_id": briefing.id,
                "body_id": body.id,
                "author_id": "UALICE",
                "source": "reply",
                "channel_id": "C0DBM",
                "summary": f"item {n}",
                "created_at": OPENED + timedelta(minutes=n),
                "updated_at": OPENED,
                **row,
                "threats": str(row.get("threats", "")).split(","),
            }
            session.add(Update(**fields))  # type: ignore[arg-type]
        session.flush()
        return build_digest(session=session, briefing=briefing, threats=settings.threats)


def _at(hours: float) -> datetime:
    return OPENED + timedelta(hours=hours)


def test_demands_first_events_by_priority_threat_plans_in_time_order(
    engine: Engine, settings: Settings
) -> None:
    digest = _digest(
        engine,
        settings,
        [
            {"kind": "event", "threats": "DRUGS", "occurs_at": _at(-2), "summary": "drugs"},
            {"kind": "event", "threats": "DRUGS,FIREARMS", "occurs_at": _at(-3), "summary": "both"},
            {
                "kind": "plan",
                "threats": "OIC",
                "occurs_at": _at(30),
                "summary": "later",
                "body": "BTP",
            },
            {"kind": "plan", "threats": "OIC", "occurs_at": _at(5), "summary": "sooner"},
            {"kind": "demand", "threats": "CYBER", "demand_status": "met", "summary": "met one"},
            {"kind": "demand", "threats": "CYBER", "demand_status": "open", "summary": "open one"},
            {"kind": "event", "threats": "FRAUD", "occurs_at": _at(-1), "status": "withdrawn"},
            {
                "kind": "event",
                "threats": "CSEA",
                "occurs_at": _at(-1),
                "late": True,
                "summary": "late",
            },
        ],
    )
    assert [d.summary for d in digest.demands] == ["open one", "met one"]
    assert [(g.code, [i.summary for i in g.items]) for g in digest.events] == [
        ("CSEA", ["late"]),
        ("FIREARMS", ["both"]),
        ("DRUGS", ["drugs"]),
    ]
    assert digest.events[1].items[0].threats == ("FIREARMS", "DRUGS")
    assert [p.summary for p in digest.plans] == ["sooner", "later"]
    assert digest.counts == (("BTP", 1), ("NCA", 6))
    assert (digest.total, digest.cross_cutting, digest.late) == (7, 1, 1)


def test_a_long_digest_is_split_within_limits_and_nothing_is_dropped(
    engine: Engine, settings: Settings
) -> None:
    rows: list[dict[str, object]] = [
        {
            "kind": ("event", "plan", "demand")[n % 3],
            "threats": ("FIREARMS", "DRUGS,MSHT", "CYBER")[n % 3],
            "occurs_at": _at(-1 if n % 3 == 0 else 2),
            "demand_status": "open" if n % 3 == 2 else None,
            "summary": f"marker-{n:03d} " + "x" * 1490,
        }
        for n in range(150)
    ]
    digest = _digest(engine, settings, rows)
    parts = build_digest_parts(digest, LONDON)
    assert len(parts) > 1
    for blocks in parts:
        assert len(blocks) <= 50 and validate_blocks(blocks, surface="message") == []
    text = json.dumps(parts)
    assert all(f"marker-{n:03d}" in text for n in range(150))
    assert f"Part {len(parts)} of {len(parts)}" in text


def test_user_text_is_inert_in_the_digest(engine: Engine, settings: Settings) -> None:
    summary = "See <!channel> <@U123> <!subteam^S1> @here ```code and *bold*\nnew line"
    digest = _digest(
        engine,
        settings,
        [
            {
                "kind": "event",
                "threats": "DRUGS",
                "occurs_at": _at(-1),
                "summary": summary,
                "location": "<!everyone> Leeds",
            }
        ],
    )
    text = json.dumps(build_digest_parts(digest, LONDON))
    for raw in ("<!channel>", "<@U123>", "<!subteam^S1>", "<!everyone>", "@here", "```"):
        assert raw not in text
    assert "&lt;@U123&gt;" in text
