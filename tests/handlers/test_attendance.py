"""Roster commands, roll-call buttons, overrides, status and stand-downs through signed requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from blocks.ids import ActionId
from meeting.attendance import mark_present_from_update
from meeting.roster import body_by_code, invited_bodies
from service.jobs import run_open_briefing
from storage.models import Attendance, AuditEntry, Body, Briefing, Invitation, Member, StandDown
from tests.conftest import CHAIR, CHANNEL
from tests.meeting.attendance_builders import add_update
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def open_monday(bot: BotUnderTest) -> Briefing:
    result = bot.run_job(run_open_briefing, at(MONDAY, 8, 30))
    assert result is not None and result.briefing is not None
    bot.clock.set(at(MONDAY, 9, 0))
    return result.briefing


def states(bot: BotUnderTest) -> dict[str, str]:
    with bot.session() as session:
        rows = session.exec(
            select(Body.code, Attendance.state).join(
                Attendance, col(Attendance.body_id) == col(Body.id)
            )
        )
        return dict(rows.all())


def member(bot: BotUnderTest, user: str, code: str) -> None:
    assert (
        "now speaks for" in bot.command(f"member <@{user}|{user.lower()}> {code}", user=CHAIR).text
    )


def press(bot: BotUnderTest, action: ActionId, user: str, briefing: Briefing, **extra: Any):  # type: ignore[no-untyped-def]
    return bot.press(action, user=user, channel=CHANNEL, message_ts=briefing.thread_ts, **extra)


def test_chair_invites_and_uninvites_with_history(bot: BotUnderTest) -> None:
    bot.clock.set(at(date(2026, 11, 25), 7, 0))  # Wednesday, before the briefing
    reply = bot.command("invite rail Rail Delivery Group", user=CHAIR).text
    assert "Invited *RAIL* Rail Delivery Group from Wednesday 25 November 2026" in reply
    assert "already invited" in bot.command("invite RAIL", user=CHAIR).text
    assert "give its name too" in bot.command("invite NEWONE", user=CHAIR).text
    assert "not a body code" in bot.command("invite b-t-p British", user=CHAIR).text
    bot.clock.set(at(date(2026, 11, 27), 7, 0))  # Friday, before the briefing
    assert (
        "no longer invited after Thursday 26 November 2026"
        in bot.command("uninvite RAIL", user=CHAIR).text
    )
    assert "not invited at the moment" in bot.command("uninvite RAIL", user=CHAIR).text
    assert "There is no body *ZZZ*" in bot.command("uninvite zzz", user=CHAIR).text
    with bot.session() as session:
        assert body_by_code(session=session, code="NEWONE") is None
        (invitation,) = session.exec(select(Invitation).join(Body).where(Body.code == "RAIL"))
        assert (invitation.invited_from, invitation.invited_to) == (
            date(2026, 11, 25),
            date(2026, 11, 26),
        )
        assert invitation.invited_by == CHAIR and invitation.ended_by == CHAIR
        assert "RAIL" in [b.code for b in invited_bodies(session=session, day=date(2026, 11, 26))]
    listing = bot.command("bodies", user="UALICE").text
    assert (
        "*Invited bodies (25)*" in listing
        and "*RAIL* Rail Delivery Group (until 26/11/2026)" in listing
    )


@pytest.mark.parametrize(
    "text",
    [
        "invite RAIL Rail Delivery Group",
        "uninvite BTP",
        "member <@UBOB|bob> BTP",
        "members",
        "present BTP",
        "standdown 27/11/2026 exercise",
        "remind",
        "export",
    ],
)
def test_participants_are_refused_and_nothing_changes(bot: BotUnderTest, text: str) -> None:
    open_monday(bot)
    reply = bot.command(text, user="UALICE").text
    assert "Only the meeting's chairs" in reply
    with bot.session() as session:
        assert body_by_code(session=session, code="RAIL") is None
        assert (
            len(
                session.exec(
                    select(Invitation).where(col(Invitation.invited_to).is_not(None))
                ).all()
            )
            == 0
        )
        assert session.exec(select(Member)).all() == []
        assert session.exec(select(Attendance)).all() == []
        assert session.exec(select(StandDown)).all() == []
    assert bot.fake.uploaded_files() == [] and len(bot.fake.calls_to("chat.postMessage")) == 1


def test_members_are_mapped_listed_and_welcomed(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    welcomed: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "handlers.roster.deliver_once",
        lambda deps, client, *, user_id, reason: welcomed.append((user_id, reason)) or True,
    )
    member(bot, "UALICE", "btp")
    assert "already speaks for *BTP*" in bot.command("member <@UALICE|alice> BTP", user=CHAIR).text
    assert "There is no body *NOPE*" in bot.command("member <@UBOB|bob> NOPE", user=CHAIR).text
    assert "Mention the person" in bot.command("member bob BTP", user=CHAIR).text
    member(bot, "UBOB", "COLP")
    assert welcomed == [("UALICE", "new_member"), ("UBOB", "new_member")]
    listing = bot.command("members", user=CHAIR).text
    assert listing.index("*BTP*") < listing.index("<@UALICE>") < listing.index("*COLP*")
    assert "<@UBOB>" not in bot.command("members BTP", user=CHAIR).text
    assert (
        "no longer speaks for any body" in bot.command("member <@UBOB|bob> none", user=CHAIR).text
    )
    with bot.session() as session:
        rows = session.exec(select(Member)).all()
        assert {(m.slack_user_id, m.removed_at is None) for m in rows} == {
            ("UALICE", True),
            ("UBOB", False),
        }
        assert session.exec(
            select(AuditEntry).where(AuditEntry.action == "roster.member_add")
        ).all()


def test_button_presses_and_updates_record_attendance_and_close_marks_the_rest(
    bot: BotUnderTest,
) -> None:
    briefing = open_monday(bot)
    member(bot, "UALICE", "BTP")
    member(bot, "UBOB", "LONDON")
    member(bot, "UBOB", "MPS")  # speaks for two bodies: one press answers for both
    first = press(bot, ActionId.ROLL_PRESENT, "UALICE", briefing)
    assert "Recorded *BTP* as present at the briefing of Monday 23 November 2026" in first.text
    assert first.replies[0].args["response_type"] == "ephemeral"
    assert first.replies[0].args["replace_original"] is False
    changed = press(bot, ActionId.ROLL_APOLOGIES, "UALICE", briefing)
    assert "Changed *BTP* from present to apologies" in changed.text
    both = press(bot, ActionId.ROLL_NIL, "UBOB", briefing)
    assert "*LONDON*" in both.text and "*MPS*" in both.text
    refused = press(bot, ActionId.ROLL_PRESENT, "UCAROL", briefing)
    assert "not listed as speaking for any body" in refused.text
    with bot.session() as session:
        nca = body_by_code(session=session, code="NCA")
        assert nca is not None and nca.id is not None
        add_update(session, briefing, "NCA", "an event", at(MONDAY, 9, 5))
        mark_present_from_update(
            session=session,
            briefing_id=briefing.id or 0,
            body_id=nca.id,
            actor="UCHAIR",
            now=at(MONDAY, 9, 5),
        )
    assert states(bot) == {"BTP": "apologies", "LONDON": "nil", "MPS": "nil", "NCA": "present"}
    bot.clock.set(at(MONDAY, 11, 0))
    assert "Closed the briefing" in bot.command("close", user=CHAIR).text
    recorded = states(bot)
    assert len(recorded) == 25 and recorded["BTP"] == "apologies" and recorded["NCA"] == "present"
    assert {code for code, state in recorded.items() if state == "absent"} == set(recorded) - {
        "BTP",
        "LONDON",
        "MPS",
        "NCA",
    }
    late = press(bot, ActionId.ROLL_PRESENT, "UALICE", briefing)
    assert "is closed" in late.text and states(bot)["BTP"] == "apologies"
    with bot.session() as session:
        audits = session.exec(select(AuditEntry).where(AuditEntry.action == "attendance.set")).all()
        assert any('"state": "present"' in (a.before or "") and a.actor == "UALICE" for a in audits)


def test_slack_connect_guest_is_recognised_by_organisation(bot: BotUnderTest) -> None:
    briefing = open_monday(bot)
    with bot.session() as session:
        psni = body_by_code(session=session, code="PSNI")
        assert psni is not None
        psni.external_team_ids = ["TPSNI01"]
        session.add(psni)
    reply = press(bot, ActionId.ROLL_PRESENT, "UGUEST", briefing, team="TPSNI01")
    assert "Recorded *PSNI* as present" in reply.text


def test_press_on_a_message_that_is_not_a_briefing(bot: BotUnderTest) -> None:
    member(bot, "UALICE", "BTP")
    reply = bot.press(ActionId.ROLL_PRESENT, user="UALICE", channel=CHANNEL, message_ts="123.456")
    assert "not a briefing I know" in reply.text
    assert states(bot) == {}


def test_chair_overrides_and_status(bot: BotUnderTest) -> None:
    briefing = open_monday(bot)
    assert "Recorded *MDP* as apologies" in bot.command("apologies mdp", user=CHAIR).text
    assert "Changed *MDP* from apologies to absent" in bot.command("absent MDP", user=CHAIR).text
    assert "no body with that code" in bot.command("present NOPE", user=CHAIR).text
    assert "Say which body" in bot.command("nil", user=CHAIR).text
    assert "not a date" in bot.command("present BTP 31/02/2026", user=CHAIR).text
    assert (
        "no briefing on Friday 20 November 2026"
        in bot.command("present BTP 20/11/2026", user=CHAIR).text
    )
    status = bot.command("status", user=CHAIR).text
    assert "0 of 25 bodies checked in · 1 absent · 24 to go" in status
    assert "*MDP*: absent" in status and "*BTP* British Transport Police" in status
    assert status.index("*BTP* British Transport Police") < status.index("*MDP*: absent")
    bot.clock.set(at(MONDAY, 11, 0))
    bot.command("close", user=CHAIR)
    fixed = bot.command("present BTP 23/11/2026", user=CHAIR).text
    assert "Changed *BTP* from absent to present" in fixed
    assert states(bot)["BTP"] == "present"
    closed = bot.command("status", user=CHAIR).text
    assert "Today's briefing closed at 11:00" in closed and "Final roll call" in closed
    assert briefing.id is not None


def test_standdown_stops_the_scheduled_briefing(bot: BotUnderTest) -> None:
    bot.clock.set(at(MONDAY, 7, 0))
    reply = bot.command("standdown 27/11/2026 national exercise", user=CHAIR).text
    assert "Stood down the meeting of Friday 27 November 2026" in reply
    assert "in the past" in bot.command("standdown 20/11/2026 late", user=CHAIR).text
    assert "weekend day" in bot.command("standdown 2026-11-28 rest", user=CHAIR).text
    assert (
        "bank holiday (Christmas Day)" in bot.command("standdown 25/12/2026 xmas", user=CHAIR).text
    )
    assert "not a date" in bot.command("standdown 27-11-2026 x", user=CHAIR).text
    assert "Give a reason" in bot.command("standdown 26/11/2026", user=CHAIR).text
    assert bot.run_job(run_open_briefing, at(date(2026, 11, 27), 8, 30)) is None
    assert bot.fake.calls_to("chat.postMessage") == []
    assert "back on" in bot.command("standdown cancel 27/11/2026", user=CHAIR).text
    assert bot.run_job(run_open_briefing, at(date(2026, 11, 27), 8, 30)) is not None
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    with bot.session() as session:
        assert session.exec(select(StandDown)).all() == []
        assert {a.action for a in session.exec(select(AuditEntry))} >= {
            "standdown.set",
            "standdown.cancel",
        }
