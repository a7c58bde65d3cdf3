"""The day's record: written at the close to the week's canvas, once, newest day on top."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.cli import main
from service.closing import CLOSE_STEPS, Closed, close_briefing_now
from service.digest import post_digest
from service.record import write_day_record
from service.retention import retention_job
from storage.models import Briefing, RecordCanvas, RecordDay
from tests.conftest import CHAIR, CHANNEL, make_env
from tests.handlers.updates_rig import open_briefing, reply, speaks_for
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 23, 9, 5, tzinfo=LONDON)
TITLE = "DBM record — week commencing Mon 23/11/2026"
CANVAS_SCOPES = ["canvases:read", "canvases:write", "bookmarks:read", "bookmarks:write"]


def _close(bot: BotUnderTest, day: datetime) -> None:
    bot.clock.set(day.replace(hour=11, minute=0))
    assert "closed" in bot.command("close", user=CHAIR).text.lower()


def _week_canvases(bot: BotUnderTest) -> list[RecordCanvas]:
    with bot.session() as session:
        return list(session.exec(select(RecordCanvas).order_by(RecordCanvas.week_start)))


def _days(bot: BotUnderTest) -> list[RecordDay]:
    with bot.session() as session:
        return list(session.exec(select(RecordDay).order_by(RecordDay.meeting_date)))


def _thread_links(bot: BotUnderTest, briefing: Briefing) -> list[dict[str, Any]]:
    return [
        m
        for m in bot.fake.messages(CHANNEL)
        if m.get("thread_ts") == briefing.thread_ts
        and (m.get("metadata") or {}).get("event_type") == "dbm_record_link"
    ]


def _chair_alerts(bot: BotUnderTest) -> list[str]:
    return [
        str(c.args.get("text"))
        for c in bot.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == CHAIR
    ]


def _monday_with_updates(bot: BotUnderTest) -> Briefing:
    speaks_for(bot, "UALICE", "BTP")
    briefing = open_briefing(bot, MONDAY)
    bot.clock.set(MONDAY.replace(hour=9, minute=20))
    reply(bot, briefing, "EVENT | firearms, drugs | yesterday 21:00 | Shots fired [here](x) #1")
    reply(bot, briefing, "URGENT | cyber | Need a contact at the exchange")
    return briefing


def test_recording_the_day_is_a_closing_step_after_the_digest() -> None:
    assert CLOSE_STEPS.index(write_day_record) > CLOSE_STEPS.index(post_digest)


def test_the_close_writes_the_day_to_the_weeks_canvas_and_links_it(bot: BotUnderTest) -> None:
    briefing = _monday_with_updates(bot)
    _close(bot, MONDAY)
    (create,) = bot.fake.calls_to("canvases.create")
    assert create.args["title"] == TITLE and "channel_id" not in create.args
    (row,) = _week_canvases(bot)
    assert row.canvas_id is not None and row.canvas_id.startswith("F")
    canvas = bot.fake.canvas(row.canvas_id)
    lines = canvas["markdown"].splitlines()
    assert lines[0] == "# OFFICIAL-SENSITIVE"
    assert lines[1] == "## Monday 23/11/2026"
    text = canvas["markdown"]
    for fragment in (
        "**Events since**",
        "opened 09:05, closed 11:00",
        "| BTP | British Transport Police | Present |",
        "| NPAC | ",
        "### Urgent demands (1)",
        "Need a contact at the exchange",
        "### Significant events (1)",
        "FIREARMS + DRUGS (cross-cutting)",
        r"Shots fired \[here\]\(x\) \#1",  # user text cannot make links or headings
        "### Operational plans (0)",
        "- Opened: 1",
    ):
        assert fragment in text, fragment
    assert canvas["access"] == {CHANNEL: "read"} and canvas["tab_channel"] is None
    (bookmark,) = bot.fake.bookmarks(CHANNEL)
    assert bookmark["title"] == "DBM record"
    assert bookmark["link"] == row.permalink and row.permalink.endswith(row.canvas_id)
    (link,) = _thread_links(bot, briefing)
    assert row.permalink in str(link["blocks"]) and TITLE in link["text"]
    (day,) = _days(bot)
    assert day.status == "written" and day.link_ts == link["ts"]
    assert _chair_alerts(bot) == []


def _closed(bot: BotUnderTest, briefing: Briefing) -> Briefing:
    with bot.session() as session:
        closed = session.get(Briefing, briefing.id)
    assert closed is not None and closed.status == "closed"
    return closed


def _assert_written_once(bot: BotUnderTest, briefing: Briefing) -> None:
    (row,) = _week_canvases(bot)
    assert row.canvas_id is not None
    markdown = bot.fake.canvas(row.canvas_id)["markdown"]
    assert markdown.count("## Monday 23/11/2026") == 1
    assert len(bot.fake.calls_to("canvases.edit")) == 1
    assert len(bot.fake.calls_to("canvases.create")) == 1
    assert len(_thread_links(bot, briefing)) == 1
    (day,) = _days(bot)
    assert day.status == "written"


def test_a_rerun_of_the_close_never_writes_the_day_twice(bot: BotUnderTest) -> None:
    briefing = _monday_with_updates(bot)
    _close(bot, MONDAY)
    bot.command("close", user=CHAIR)  # nothing open: the closing steps do not run again
    again = close_briefing_now(bot.deps, bot.client, now=bot.clock(), closed_by=CHAIR)
    assert again.status is Closed.NOT_OPEN
    write_day_record(bot.deps, bot.client, _closed(bot, briefing), bot.clock())  # the step, again
    _assert_written_once(bot, briefing)


def test_a_close_that_died_after_writing_is_finished_without_writing_again(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def died(**_: Any) -> None:
        raise RuntimeError("the process died here")

    briefing = _monday_with_updates(bot)
    with monkeypatch.context() as patch:
        patch.setattr("service.record_writing.day_written", died)
        _close(bot, MONDAY)  # the day is in the canvas; the database does not know
    (claimed,) = _days(bot)
    assert claimed.status == "claimed" and _thread_links(bot, briefing) == []
    bot.clock.advance(minutes=5)
    write_day_record(bot.deps, bot.client, _closed(bot, briefing), bot.clock())
    assert _days(bot)[0].status == "claimed"  # a fresh claim: another process may be at it
    bot.clock.advance(minutes=10)
    write_day_record(bot.deps, bot.client, _closed(bot, briefing), bot.clock())
    _assert_written_once(bot, briefing)


def test_the_next_day_goes_on_top_of_the_same_weeks_canvas(bot: BotUnderTest) -> None:
    _monday_with_updates(bot)
    _close(bot, MONDAY)
    tuesday = MONDAY + timedelta(days=1)
    second = open_briefing(bot, tuesday)
    bot.clock.set(tuesday.replace(hour=9, minute=30))
    reply(bot, second, "PLAN | OIC | Thu 0600 | Port search")
    _close(bot, tuesday)
    (row,) = _week_canvases(bot)
    assert row.canvas_id is not None
    headings = [
        line
        for line in bot.fake.canvas(row.canvas_id)["markdown"].splitlines()
        if line.startswith(("# ", "## "))
    ]
    assert headings[:3] == ["# OFFICIAL-SENSITIVE", "## Tuesday 24/11/2026", "## Monday 23/11/2026"]
    assert len(bot.fake.calls_to("canvases.create")) == 1
    assert [d.meeting_date.day for d in _days(bot)] == [23, 24]
    assert len(_thread_links(bot, second)) == 1
    assert len(bot.fake.bookmarks(CHANNEL)) == 1


def test_a_new_week_gets_its_own_canvas_and_the_bookmark_moves(bot: BotUnderTest) -> None:
    _monday_with_updates(bot)
    _close(bot, MONDAY)
    next_monday = MONDAY + timedelta(days=7)
    open_briefing(bot, next_monday)
    _close(bot, next_monday)
    first, second = _week_canvases(bot)
    assert first.canvas_id != second.canvas_id
    assert bot.fake.canvas(str(second.canvas_id))["title"] == (
        "DBM record — week commencing Mon 30/11/2026"
    )
    (bookmark,) = bot.fake.bookmarks(CHANNEL)
    assert bookmark["link"] == second.permalink


def test_without_the_canvas_scopes_the_chairs_are_told_once_and_the_digest_is_posted(
    bot: BotUnderTest,
) -> None:
    bot.fake.set_scopes(["chat:write", "files:read"])
    briefing = _monday_with_updates(bot)
    _close(bot, MONDAY)
    digest = [m for m in bot.fake.messages(CHANNEL) if "Digest" in str(m.get("text"))]
    assert digest and digest[0]["thread_ts"] == briefing.thread_ts
    (alert,) = _chair_alerts(bot)
    assert "`missing_scope`" in alert and "config/slack-manifest.json" in alert
    tuesday = MONDAY + timedelta(days=1)
    open_briefing(bot, tuesday)
    _close(bot, tuesday)
    assert len(_chair_alerts(bot)) == 1  # told once, not at every close
    assert _week_canvases(bot) == [] and _days(bot) == []
    bot.fake.set_scopes(None)  # the app is reinstalled with the scopes
    wednesday = MONDAY + timedelta(days=2)
    open_briefing(bot, wednesday)
    _close(bot, wednesday)
    (row,) = _week_canvases(bot)
    assert "## Wednesday 25/11/2026" in bot.fake.canvas(str(row.canvas_id))["markdown"]


def test_on_a_free_workspace_the_chairs_are_told_once_and_the_meeting_carries_on(
    bot: BotUnderTest,
) -> None:
    bot.fake.set_plan("free")
    briefing = _monday_with_updates(bot)
    _close(bot, MONDAY)
    (alert,) = _chair_alerts(bot)
    assert "free_teams_cannot_create_non_tabbed_canvases" in alert and "paid Slack plan" in alert
    assert any(
        "Digest" in str(m.get("text")) for m in bot.fake.replies(CHANNEL, briefing.thread_ts or "")
    )
    with bot.session() as session:
        assert session.get(Briefing, briefing.id).status == "closed"  # type: ignore[union-attr]


def test_a_failed_edit_releases_the_day_for_the_next_try(bot: BotUnderTest) -> None:
    briefing = _monday_with_updates(bot)
    bot.fake.fail("canvases.edit", "canvas_editing_failed")
    _close(bot, MONDAY)
    assert _days(bot) == [] and len(_chair_alerts(bot)) == 1
    with bot.session() as session:
        closed = session.get(Briefing, briefing.id)
    assert closed is not None
    write_day_record(bot.deps, bot.client, closed, bot.clock())
    (day,) = _days(bot)
    assert day.status == "written" and len(_thread_links(bot, briefing)) == 1


def test_the_retention_purge_deletes_canvases_older_than_the_period(bot: BotUnderTest) -> None:
    _monday_with_updates(bot)
    _close(bot, MONDAY)
    next_monday = MONDAY + timedelta(days=7)
    open_briefing(bot, next_monday)
    _close(bot, next_monday)
    old, recent = _week_canvases(bot)
    days = bot.settings.meeting.retention_days
    bot.run_job(retention_job, MONDAY + timedelta(days=days, hours=3))
    assert [c.args["canvas_id"] for c in bot.fake.calls_to("canvases.delete")] == [old.canvas_id]
    assert bot.fake.canvas(str(old.canvas_id))["deleted"] is True
    assert bot.fake.canvas(str(recent.canvas_id))["deleted"] is False
    old_row, _ = _week_canvases(bot)
    assert old_row.deleted_at is not None
    bot.run_job(retention_job, MONDAY + timedelta(days=days, hours=4))  # safe to run twice
    assert len(bot.fake.calls_to("canvases.delete")) == 1


def test_the_purge_command_names_the_canvases_it_deletes(
    bot: BotUnderTest,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _monday_with_updates(bot)
    _close(bot, MONDAY)
    (row,) = _week_canvases(bot)
    for name, value in make_env(database_url, bot.fake.base_url).items():
        monkeypatch.setenv(name, value)
    with bot.session() as session:  # as if made long ago (the command reads the real clock)
        stored = session.get(RecordCanvas, row.id)
        assert stored is not None
        stored.created_at = datetime.now(LONDON) - timedelta(days=400)
    assert main(["purge", "--dry-run"]) == 0
    planned = capsys.readouterr().out.splitlines()[-1]
    assert planned.startswith("would delete 1 canvases of the day's record made before ")
    assert planned.endswith(f": {row.canvas_id}") and bot.fake.calls_to("canvases.delete") == []
    assert main(["purge"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(f": {row.canvas_id}")
    assert bot.fake.canvas(str(row.canvas_id))["deleted"] is True
