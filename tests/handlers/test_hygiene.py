"""Hygiene at the edges: odd input gets a clear private answer and changes nothing; what people
typed never comes back live; replays apply once; logs never carry update text."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import func, select

from blocks.ids import ActionId, BlockId, CallbackId, InputId
from bot.json_logs import JsonFormatter, TextFormatter
from standin import payloads
from storage.db import make_engine
from storage.models import AuditEntry, Invitation, Refusal
from tests.conftest import CHAIR, CHANNEL
from tests.handlers.updates_rig import ephemerals, open_briefing, reply, speaks_for, updates
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MARKER = "Kestrel-Marmot-5521"
LIVE = ("<!here>", "<!channel>", "<!everyone>", "<@UBOB>")


def _all_answers(bot: BotUnderTest) -> str:
    texts = [json.dumps(c.args) for c in bot.fake.calls_to("response_url")]
    texts += [json.dumps(c.args) for c in bot.fake.calls_to("chat.postEphemeral")]
    return "\n".join(texts)


def test_a_non_numeric_request_timestamp_is_refused_with_401(bot: BotUnderTest) -> None:
    body = payloads.form_body(
        payloads.slash_command("help", user=CHAIR, channel=CHANNEL, response_url="")
    )
    response = bot.post(
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Slack-Request-Timestamp": "yesterday"},
    )
    assert response.status == 401 and "Traceback" not in response.body


def test_a_button_no_listener_knows_gets_a_private_note_not_a_404(bot: BotUnderTest) -> None:
    open_briefing(bot)
    result = bot.press(
        "dbm_button_of_an_older_version", user="UALICE", value="7", channel=CHANNEL,
        message_ts="1.0",
    )  # fmt: skip
    assert result.response.status == 200
    assert "older message" in result.text and "nothing was changed" in result.text


@pytest.mark.parametrize(
    ("action", "value"),
    [
        (ActionId.UPDATE_WITHDRAW, "not-a-number"),
        (ActionId.DEMAND_MET, "-3"),
        (ActionId.UPDATE_WITHDRAW, "99999999999999999999"),
        (ActionId.GUIDANCE_ACK, "99999999999999999999"),
    ],
)
def test_odd_button_values_get_a_clear_answer_and_change_nothing(
    bot: BotUnderTest, action: ActionId, value: str
) -> None:
    open_briefing(bot)
    result = bot.press(action.value, user="UALICE", value=value, channel=CHANNEL, message_ts="1.0")
    assert result.response.status == 200 and result.text
    assert "Traceback" not in result.text and "Sorry, that failed" not in result.text
    assert updates(bot) == []


@pytest.mark.parametrize(
    "command",
    [
        "<!here>",
        "invite XYZ <!channel> and friends",
        "export <!everyone>",
        "present BTP <!here>",
        "standdown <@UBOB> reason",
        "guidance <!channel>",
        "review <@UBOB>",
    ],
)
def test_what_a_chair_typed_never_comes_back_live(bot: BotUnderTest, command: str) -> None:
    open_briefing(bot)
    bot.fake.reset_calls()
    bot.command(command, user=CHAIR)
    answers = _all_answers(bot)
    assert answers, "the chair heard nothing"
    assert not any(live in answers for live in LIVE), answers


def test_a_reply_with_a_nul_is_refused_with_the_reason_and_nothing_is_stored(
    bot: BotUnderTest,
) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
    reply(bot, briefing, "EVENT | firearms | today 07:10 | Shots fired\x00 in Croydon")
    assert updates(bot) == []
    (answer,) = ephemerals(bot)
    assert "cannot be stored" in answer
    with bot.session() as session:
        (refusal,) = session.exec(select(Refusal)).all()
    assert refusal.reason == "bad_character"


def test_a_command_with_a_nul_is_refused_and_changes_nothing(bot: BotUnderTest) -> None:
    result = bot.command("invite RAIL Rail\x00 Delivery Group", user=CHAIR)
    assert "cannot be stored" in result.text
    with bot.session() as session:
        invited = session.exec(select(func.count()).select_from(Invitation)).one()
    assert invited == 25  # the seeded roster only


def test_a_form_with_a_nul_gets_the_error_on_its_field(bot: BotUnderTest) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")
    bot.clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
    values = {
        BlockId.UPDATE_KIND: {InputId.KIND: {"selected_option": {"value": "demand"}}},
        BlockId.UPDATE_THREATS: {InputId.THREATS: {"selected_options": [{"value": "CYBER"}]}},
        BlockId.UPDATE_SUMMARY: {InputId.SUMMARY: {"value": "Need a contact\x00 now"}},
        BlockId.UPDATE_LOCATION: {InputId.LOCATION: {"value": ""}},
    }
    submission = payloads.view_submission(
        user="UALICE", callback_id=CallbackId.UPDATE_MODAL.value, values=values,
        private_metadata=json.dumps({"briefing": briefing.id}),
    )  # fmt: skip
    response = bot.interact(submission)
    assert response.status == 200
    errors = response.json()["errors"]
    assert "cannot be stored" in errors[BlockId.UPDATE_SUMMARY]
    assert updates(bot) == []


def test_a_replayed_command_and_a_replayed_press_apply_once(bot: BotUnderTest) -> None:
    fields = payloads.slash_command(
        "invite RAIL Rail Delivery Group", user=CHAIR, channel=CHANNEL,
        response_url=bot.fake.response_url("replay"),
    )  # fmt: skip
    for _ in range(2):  # the same trigger_id twice
        response = bot.post(
            payloads.form_body(fields), content_type="application/x-www-form-urlencoded"
        )
        assert response.status == 200
    briefing = open_briefing(bot)
    speaks_for(bot, "UBOB", "BTP")
    press = payloads.block_action(
        user="UBOB", action_id=ActionId.ROLL_APOLOGIES.value, channel=CHANNEL,
        message_ts=str(briefing.thread_ts), response_url=bot.fake.response_url("press"),
    )  # fmt: skip
    for _ in range(2):  # the same action_ts twice
        assert bot.interact(press).status == 200
    with bot.session() as session:
        actions = [a.action for a in session.exec(select(AuditEntry))]
    assert actions.count("roster.invite") == 1
    assert actions.count("attendance.record") + actions.count("attendance.button") <= 1
    replies = [c for c in bot.fake.calls_to("response_url") if c.args.get("_key") == "replay"]
    assert len(replies) == 1


def test_errors_in_the_logs_never_carry_what_people_wrote(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    briefing = open_briefing(bot)
    speaks_for(bot, "UALICE", "ERSOU")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"could not store {MARKER}")

    monkeypatch.setattr("handlers.messages.record_reply", broken)
    with caplog.at_level(logging.DEBUG):
        reply(bot, briefing, f"EVENT | firearms | today 07:10 | {MARKER}")
    (answer,) = ephemerals(bot)
    assert "failed on our side" in answer and MARKER not in answer
    failures = [r for r in caplog.records if r.exc_info or "failed" in r.getMessage()]
    assert failures
    for formatter in (TextFormatter(), JsonFormatter()):
        lines = "\n".join(formatter.format(r) for r in caplog.records)
        assert MARKER not in lines and "RuntimeError" in lines


def test_database_errors_never_reach_the_logs_with_what_people_wrote(database_url: str) -> None:
    """SQLAlchemy hides a statement's parameters; PostgreSQL's own DETAIL can still quote the
    row, so the log lines give an exception by its class and frames, never its message."""
    engine = make_engine(database_url)
    record: logging.LogRecord | None = None
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO body (code, name, created_at) VALUES (:code, :name, NULL)"),
                {"code": "X", "name": MARKER},
            )
    except SQLAlchemyError as exc:
        assert "parameters hidden" in str(exc)
        record = logging.LogRecord(
            "service.replies", logging.ERROR, __file__, 1, "store failed", None,
            (type(exc), exc, exc.__traceback__),
        )  # fmt: skip
    finally:
        engine.dispose()
    assert record is not None, "the insert should have failed (created_at is NOT NULL)"
    for formatter in (TextFormatter(), JsonFormatter()):
        line = formatter.format(record)
        assert MARKER not in line and "IntegrityError" in line
