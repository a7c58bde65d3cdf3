"""Guidance text, versions, acknowledgements and deliveries (database rules, no Slack)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config.errors import ConfigError
from config.settings import Settings, load_settings
from meeting.guidance import (
    Publication,
    acknowledge,
    claim_delivery,
    claim_publication,
    content_hash,
    current_version,
    fill_placeholders,
    load_guidance,
    mark_posted,
    release_delivery,
    release_publication,
    unacknowledged_by_body,
)
from storage.db import session_scope
from storage.models import Body, GuidanceAck, GuidanceDelivery, GuidanceVersion, Member

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REQUIRED_HEADINGS = (
    "## What the meeting is for",
    "## When it runs",
    "## What to report",
    "### Significant events since the last briefing",
    "### Operational plans for the next 72 hours",
    "### Urgent operational and intelligence demands",
    "## Focus on the national priority threats",
    "### Cross-cutting matters",
    "## Nil returns and apologies",
    "## How to submit an update",
    "### Using the form",
    "### Replying in the thread",
    "## Handling: OFFICIAL only",
    "## Who to contact",
)


@pytest.fixture
def real() -> Settings:
    return load_settings({})


def _with_file(settings: Settings, folder: Path, text: str) -> Settings:
    (folder / "guidance.md").write_text(text, encoding="utf-8")
    return replace(settings, config_dir=folder)


def test_the_guidance_file_has_every_required_section(real: Settings) -> None:
    markdown = load_guidance(real).markdown
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    for required in REQUIRED_HEADINGS:
        assert required in headings, f"config/guidance.md lacks the section {required!r}"


def test_the_guidance_covers_each_point_participants_need(real: Settings) -> None:
    markdown = load_guidance(real).markdown
    sections = re.split(r"^### ", markdown, flags=re.MULTILINE)
    for part in ("Significant events", "Operational plans", "Urgent operational"):
        (body,) = [s for s in sections if s.startswith(part)]
        assert "**Good:**" in body and "**Poor:**" in body, f"{part} needs both examples"
    for fact in (
        "08:30",
        "09:30",
        "11:00",
        "bank holidays",
        "CSEA",
        "MSHT",
        "OIC",
        "High-end money laundering",
        "Firearms",
        "Cyber crime",
        "Present, nothing to report",
        "Send apologies",
        "Add update",
        "/dbm update",
        "`EVENT | firearms | yesterday 22:40 |",
        "`PLAN | OIC, MSHT | Thu 0600 |",
        "`URGENT | cyber |",
        "OFFICIAL-SENSITIVE",
        "SECRET or TOP SECRET",
        "/dbm help",
        "NCA",
    ):
        assert fact in markdown, f"the guidance does not mention {fact!r}"
    assert "{" not in markdown


def test_placeholders_follow_the_settings(real: Settings, tmp_path: Path) -> None:
    meeting = replace(real.meeting, open_time=time(7, 45), lookahead_hours=48)
    settings = _with_file(
        replace(real, meeting=meeting), tmp_path, "Opens {open_time}; {lookahead_hours}h"
    )
    assert load_guidance(settings).markdown == "Opens 07:45; 48h"


def test_an_unknown_placeholder_names_the_line() -> None:
    with pytest.raises(ConfigError, match=r"guidance.md:2: unknown placeholder \{opening\}"):
        fill_placeholders("fine\nat {opening}", {"open_time": "08:30"}, source="guidance.md")


def test_a_missing_or_empty_file_is_a_config_error(real: Settings, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the guidance"):
        load_guidance(replace(real, config_dir=tmp_path))
    with pytest.raises(ConfigError, match="empty"):
        load_guidance(_with_file(real, tmp_path, "  \n"))


def test_content_hash_ignores_trailing_space_but_not_words() -> None:
    assert content_hash("a  \nb\n\n") == content_hash("a\nb")
    assert content_hash("a\nb") != content_hash("a\nc")


def _publish(session: Session, digest: str, at: datetime, ts: str) -> GuidanceVersion:
    claim = claim_publication(session=session, digest=digest, now=at, by="UCHAIR", channel="C0DBM")
    assert claim.mine
    return mark_posted(session=session, claim=claim, message_ts=ts, now=at)


def test_publishing_records_a_version_only_when_the_text_changes(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = _publish(session, "a" * 64, NOW, "1.1")
        again = claim_publication(session=session, digest="a" * 64, now=NOW, by="U", channel="C")
        assert again.outcome is Publication.UNCHANGED and again.version.id == first.id
        claim = claim_publication(
            session=session, digest="b" * 64, now=NOW + timedelta(days=1), by="U", channel="C0DBM"
        )
        assert claim.outcome is Publication.NEW and claim.previous is not None
        assert claim.previous.id == first.id
        second = mark_posted(session=session, claim=claim, message_ts="2.2", now=NOW)
        current = current_version(session=session)
        assert current is not None and current.id == second.id
        assert len(session.exec(select(GuidanceVersion)).all()) == 2


def test_an_older_text_published_again_revives_its_version(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = _publish(session, "a" * 64, NOW, "1.1")
        second = _publish(session, "b" * 64, NOW + timedelta(days=1), "2.2")
        claim = claim_publication(
            session=session, digest="a" * 64, now=NOW + timedelta(days=2), by="U", channel="C0DBM"
        )
        assert claim.outcome is Publication.REVIVED and claim.version.id == first.id
        assert claim.previous is not None and claim.previous.id == second.id
        mark_posted(session=session, claim=claim, message_ts="3.3", now=NOW)
        current = current_version(session=session)
        assert current is not None and (current.id, current.message_ts) == (first.id, "3.3")


def test_a_publication_under_way_is_not_repeated_until_stale(engine: Engine) -> None:
    with session_scope(engine) as session:
        claim = claim_publication(session=session, digest="a" * 64, now=NOW, by="U", channel="C")
        assert claim.outcome is Publication.NEW
        soon = claim_publication(
            session=session, digest="a" * 64, now=NOW + timedelta(minutes=1), by="U", channel="C"
        )
        assert soon.outcome is Publication.IN_PROGRESS
        later = claim_publication(
            session=session, digest="a" * 64, now=NOW + timedelta(minutes=11), by="U", channel="C"
        )
        assert later.outcome is Publication.REVIVED


def test_a_failed_publication_is_released(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = _publish(session, "a" * 64, NOW, "1.1")
        claim = claim_publication(session=session, digest="b" * 64, now=NOW, by="U", channel="C")
        release_publication(session=session, claim=claim)
        assert session.exec(select(GuidanceVersion)).all() == [first]
        revived = claim_publication(session=session, digest="a" * 64, now=NOW, by="U", channel="C")
        assert revived.outcome is Publication.UNCHANGED


def test_acknowledging_twice_keeps_one_row(engine: Engine) -> None:
    with session_scope(engine) as session:
        version = _publish(session, "a" * 64, NOW, "1.1")
        assert version.id is not None
        assert acknowledge(session=session, user_id="UALICE", version_id=version.id, now=NOW)
        assert not acknowledge(session=session, user_id="UALICE", version_id=version.id, now=NOW)
        assert len(session.exec(select(GuidanceAck)).all()) == 1


def test_a_delivery_is_claimed_once_and_can_be_released(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert claim_delivery(session=session, user_id="UALICE", reason="new_member", now=NOW)
        assert not claim_delivery(session=session, user_id="UALICE", reason="first_post", now=NOW)
        (row,) = session.exec(select(GuidanceDelivery)).all()
        assert row.reason == "new_member"
        release_delivery(session=session, user_id="UALICE")
        assert claim_delivery(session=session, user_id="UALICE", reason="first_post", now=NOW)


def _body(session: Session, code: str) -> int:
    body = Body(code=code, name=f"{code} name", created_at=NOW)
    session.add(body)
    session.flush()
    assert body.id is not None
    return body.id


def test_who_has_not_acknowledged_by_body(engine: Engine) -> None:
    with session_scope(engine) as session:
        btp, colp, _ = _body(session, "BTP"), _body(session, "COLP"), _body(session, "MDP")
        for user, body_id in (("UALICE", btp), ("UBOB", btp), ("UCAROL", colp), ("UDAN", colp)):
            session.add(Member(slack_user_id=user, body_id=body_id, added_by="U", added_at=NOW))
        session.add(
            Member(slack_user_id="UGONE", body_id=btp, added_by="U", added_at=NOW, removed_at=NOW)
        )
        old = _publish(session, "a" * 64, NOW, "1.1")
        version = _publish(session, "b" * 64, NOW, "2.2")
        assert old.id is not None and version.id is not None
        acknowledge(session=session, user_id="UALICE", version_id=version.id, now=NOW)
        acknowledge(session=session, user_id="UCAROL", version_id=old.id, now=NOW)
        acknowledge(session=session, user_id="UDAN", version_id=version.id, now=NOW)
        groups = unacknowledged_by_body(session=session, version_id=version.id)
    assert [(g.code, g.user_ids) for g in groups] == [("BTP", ("UBOB",)), ("COLP", ("UCAROL",))]
