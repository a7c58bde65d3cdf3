"""Who speaks for which body: mappings first, else the Slack Connect organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from config.files import BodySeed
from meeting.roster import invited_bodies, seed_bodies, speaker_bodies
from storage.db import session_scope
from storage.models import Member

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SEEDS = (
    BodySeed("NCA", "National Crime Agency"),
    BodySeed("PSNI", "Police Service of Northern Ireland", ("TPSNI01",)),
)


def test_seeding_is_idempotent_and_invites_from_today(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert seed_bodies(session=session, seeds=SEEDS, today=date(2026, 11, 23), now=NOW) == 2
    with session_scope(engine) as session:
        assert seed_bodies(session=session, seeds=SEEDS, today=date(2026, 11, 24), now=NOW) == 0
        assert invited_bodies(session=session, day=date(2026, 11, 22)) == []
        assert [b.code for b in invited_bodies(session=session, day=date(2026, 11, 23))] == [
            "NCA",
            "PSNI",
        ]


def test_mapping_wins_over_organisation(engine: Engine) -> None:
    with session_scope(engine) as session:
        seed_bodies(session=session, seeds=SEEDS, today=date(2026, 11, 23), now=NOW)
    with session_scope(engine) as session:
        guest = speaker_bodies(session=session, user_id="UGUEST", team_id="TPSNI01")
        assert [b.code for b in guest] == ["PSNI"]
        assert speaker_bodies(session=session, user_id="UGUEST", team_id="TOTHER") == []
        nca = [
            b for b in invited_bodies(session=session, day=date(2026, 11, 23)) if b.code == "NCA"
        ]
        session.add(
            Member(slack_user_id="UGUEST", body_id=nca[0].id or 0, added_by="U1", added_at=NOW)
        )
        session.flush()
        mapped = speaker_bodies(session=session, user_id="UGUEST", team_id="TPSNI01")
        assert [b.code for b in mapped] == ["NCA"]
