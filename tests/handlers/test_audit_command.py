"""/dbm audit CODE: a chair reads a body's last 20 audit entries in words; nobody else can."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from meeting.audit import record
from meeting.roster import body_by_code
from storage.db import session_scope
from tests.bot.audit_rig import make_trail
from tests.conftest import CHAIR
from tests.rig.fake_slack import Call, validate_blocks
from tests.rig.harness import BotUnderTest


def _blocks(replies: list[Call]) -> list[dict[str, object]]:
    (reply,) = replies
    blocks = reply.args["blocks"]
    assert isinstance(blocks, list)
    return blocks


def test_a_chair_reads_a_bodys_trail_newest_first_with_names(bot: BotUnderTest) -> None:
    bot.fake.add_user("UALICE", name="alice", real_name="Alice Smith")
    make_trail(bot)
    result = bot.command("audit btp", user=CHAIR)
    assert result.response.status == 200
    blocks = _blocks(result.replies)
    assert validate_blocks(blocks, surface="message") == []
    text = json.dumps(blocks, ensure_ascii=False)
    order = [
        "changed BTP's significant event (update 1)",
        "marked BTP present at the briefing of 23/11/2026",
        "added a significant event for BTP (update 1): “Shots fired at the depot”",
        "recorded Alice Smith (UALICE) as speaking for BTP",
    ]
    assert [text.index(s) for s in order] == sorted(text.index(s) for s in order)
    assert "Mon 23/11/2026 09:25 GMT" in text and "Alice Smith (UALICE), BTP" in text
    assert "NPAC" not in text and "opened the briefing" not in text
    assert "Audit trail: BTP" in text and "British Transport Police" in text


def test_only_the_last_20_entries_are_shown(bot: BotUnderTest) -> None:
    with session_scope(bot.engine) as session:
        body = body_by_code(session=session, code="NPAC")
        assert body is not None
        for n in range(25):
            record(
                session=session,
                now=datetime(2026, 11, 2, 9, 0, tzinfo=UTC) + timedelta(days=n),
                actor=CHAIR,
                action="roster.invite",
                subject=f"body:{body.id}",
                after={"code": "NPAC", "from": f"2026-12-{n + 1:02d}"},
            )
    text = json.dumps(_blocks(bot.command("audit NPAC", user=CHAIR).replies), ensure_ascii=False)
    assert text.count("invited NPAC from") == 20
    assert "invited NPAC from 25/12/2026" in text and "invited NPAC from 05/12/2026" not in text


def test_someone_who_is_not_a_chair_is_refused(bot: BotUnderTest) -> None:
    make_trail(bot)
    result = bot.command("audit BTP", user="UBOB")
    assert result.response.status == 200
    assert "Only the meeting's chairs can use `/dbm audit`" in result.text
    assert "Shots fired" not in result.text


def test_a_missing_or_unknown_code_is_explained(bot: BotUnderTest) -> None:
    assert "Say which body: `/dbm audit CODE`" in bot.command("audit", user=CHAIR).text
    unknown = bot.command("audit <!channel>", user=CHAIR).text
    assert "No body has the code `&lt;!channel&gt;`" in unknown
    quiet = bot.command("audit MDP", user=CHAIR).text
    assert "No audit entries about MDP (Ministry of Defence Police) yet." in quiet
