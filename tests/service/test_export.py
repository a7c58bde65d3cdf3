"""The weekly spreadsheet job, end to end: one upload per week whose cells match the records."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from sqlmodel import select

from blocks.ids import ActionId
from bot.scheduler import job_specs
from meeting.calendar import bank_holiday
from service.closing import run_close_briefing
from service.export import Exported, catch_up_export, run_weekly_export
from service.jobs import run_open_briefing
from storage.models import JobRun
from tests.conftest import CHAIR, CHANNEL
from tests.meeting.attendance_builders import add_update
from tests.rig.harness import BotUnderTest

LONDON = ZoneInfo("Europe/London")
DAYS = [date(2026, 12, d) for d in (21, 22, 23, 24)]
CHRISTMAS = date(2026, 12, 25)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def run_christmas_week(bot: BotUnderTest) -> None:
    """Four briefings; ALICE answers for BTP Monday and Tuesday; RAIL is invited on Wednesday."""
    assert bank_holiday(CHRISTMAS, "england-and-wales") == "Christmas Day"
    bot.command("member <@UALICE|alice> BTP", user=CHAIR)
    for index, day in enumerate(DAYS):
        opened = bot.run_job(run_open_briefing, at(day, 8, 30))
        assert opened is not None and opened.briefing is not None
        bot.clock.set(at(day, 9))
        if index == 2:
            bot.command("invite RAIL Rail Delivery Group", user=CHAIR)
            bot.command("nil RAIL", user=CHAIR)
        if index < 2:
            action = ActionId.ROLL_PRESENT if index == 0 else ActionId.ROLL_APOLOGIES
            bot.press(action, user="UALICE", channel=CHANNEL, message_ts=opened.briefing.thread_ts)
        with bot.session() as session:
            add_update(
                session,
                opened.briefing,
                "NCA",
                '=HYPERLINK("http://x.example","y")',
                at(day, 9, 10),
            )
        bot.run_job(run_close_briefing, at(day, 11))
    assert bot.run_job(run_open_briefing, at(CHRISTMAS, 8, 30)) is None


def sheet_rows(ws: Any) -> dict[str, list[Any]]:
    return {
        ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
        for r in range(6, ws.max_row + 1)
        if ws.cell(r, 1).value and ws.cell(r, 3).value
    }


def test_weekly_job_uploads_one_workbook_matching_the_week(bot: BotUnderTest) -> None:
    run_christmas_week(bot)
    first = bot.run_job(run_weekly_export, at(CHRISTMAS, 12))
    again = bot.run_job(run_weekly_export, at(CHRISTMAS, 12, 5))
    assert first.status is Exported.POSTED and again.status is Exported.ALREADY_POSTED
    (upload,) = bot.fake.uploaded_files()
    assert upload.filename == "dbm-attendance-2026-W52.xlsx" and upload.channel_id == CHANNEL
    comment = upload.initial_comment or ""
    assert "*Attendance, week commencing Mon 21/12/2026*" in comment and "```" in comment
    assert upload.title == "DBM attendance, week commencing Mon 21/12/2026"
    assert "Fri 25/12: no meeting (bank holiday: Christmas Day)" in comment
    assert any(
        line.startswith("BTP") and line.split()[1:5] == ["P", "A", "X", "X"]
        for line in comment.splitlines()
    )
    book = openpyxl.load_workbook(io.BytesIO(upload.content))
    ws = book["Attendance"]
    assert [ws.cell(4, c).value for c in range(3, 8)] == [
        datetime(2026, 12, d) for d in range(21, 26)
    ]
    assert ws.cell(5, 7).value == "No meeting: bank holiday: Christmas Day"
    rows = sheet_rows(ws)
    assert rows["BTP"][2:7] == ["Present", "Apologies", "Absent", "Absent", "No meeting"]
    assert rows["RAIL"][2:7] == ["Not invited", "Not invited", "Nil return", "Absent", "No meeting"]
    assert rows["MDP"][2:6] == ["Absent"] * 4
    assert rows["RAIL"][7:9] == [2, 0]  # expected twice, never present (a nil return is attended)
    assert rows["RAIL"][-1] == 0.5 and rows["MDP"][-1] == 0
    updates = book["Updates"]
    assert updates.max_row == 5
    summary = updates.cell(2, 8)
    assert summary.value == '=HYPERLINK("http://x.example","y")' and summary.data_type == "s"
    assert updates.cell(2, 2).value == datetime(2026, 12, 21, 9, 10)
    with bot.session() as session:
        (run,) = session.exec(select(JobRun).where(JobRun.job == "weekly_export"))
    assert run.key == "2026-W52" and run.status == "done"


def test_export_job_is_scheduled_friday_noon(bot: BotUnderTest) -> None:
    spec = {s.id: s for s in job_specs(bot.settings)}["weekly_export"]
    assert spec.run is run_weekly_export
    assert spec.trigger.get_next_fire_time(None, at(date(2026, 11, 23), 9)) == at(
        date(2026, 11, 27), 12
    )


def test_failed_upload_is_retried_by_the_next_run(bot: BotUnderTest) -> None:
    bot.fake.fail("files.getUploadURLExternal", "not_in_channel")
    failed = bot.run_job(run_weekly_export, at(date(2026, 11, 27), 12))
    assert failed.status is Exported.FAILED and failed.error == "not_in_channel"
    assert bot.run_job(run_weekly_export, at(date(2026, 11, 27), 12, 30)).status is Exported.POSTED
    assert [f.filename for f in bot.fake.uploaded_files()] == ["dbm-attendance-2026-W48.xlsx"]


def test_catch_up_posts_late_however_late_but_never_twice(bot: BotUnderTest) -> None:
    """The bot was down at Friday 12:00: whenever it comes back, the week's file is posted once."""
    friday = date(2026, 11, 27)
    assert bot.run_job(catch_up_export, at(friday, 11, 59)) is None  # W47: the bot never ran
    bot.run_job(run_open_briefing, at(friday - timedelta(days=2), 8, 30))
    late = bot.run_job(catch_up_export, at(friday, 17, 30))  # well past the grace period
    assert late is not None and late.status is Exported.POSTED and late.period.key == "2026-W48"
    again = bot.run_job(catch_up_export, at(friday + timedelta(days=3), 9))
    assert again is not None and again.status is Exported.ALREADY_POSTED
    assert [f.filename for f in bot.fake.uploaded_files()] == ["dbm-attendance-2026-W48.xlsx"]


def test_claim_left_by_a_process_that_died_is_taken_over(bot: BotUnderTest) -> None:
    from meeting.jobruns import claim_job

    friday_noon = at(date(2026, 11, 27), 12)
    with bot.session() as session:  # a process claimed the export, then died before posting
        assert claim_job(session=session, job="weekly_export", key="2026-W48",
                         now=friday_noon, claimer="dead:1")  # fmt: skip
    soon = bot.run_job(run_weekly_export, friday_noon + timedelta(minutes=5))
    assert soon.status is Exported.ALREADY_POSTED  # it may still be at work
    later = bot.run_job(run_weekly_export, friday_noon + timedelta(minutes=20))
    assert later.status is Exported.POSTED
    assert len(bot.fake.uploaded_files()) == 1


def test_chair_exports_on_demand(bot: BotUnderTest) -> None:
    bot.clock.set(at(date(2026, 11, 25), 14))
    reply = bot.command("export last", user=CHAIR).text
    assert "Posted `dbm-attendance-2026-W47.xlsx`" in reply
    refused = bot.command("export 2026-W60", user=CHAIR).text
    assert refused == "2026 has no week 60: its weeks run from W01 to W53. Nothing was posted."
    bot.command("export 2026-w52", user=CHAIR)
    assert [f.filename for f in bot.fake.uploaded_files()] == [
        "dbm-attendance-2026-W47.xlsx",
        "dbm-attendance-2026-W52.xlsx",
    ]


def test_the_updates_sheet_names_the_authors(bot: BotUnderTest) -> None:
    bot.fake.add_user("UALICE", name="alice", real_name="Alice Example")
    run_christmas_week(bot)
    bot.run_job(run_weekly_export, at(CHRISTMAS, 12))
    (upload,) = bot.fake.uploaded_files()
    updates = openpyxl.load_workbook(io.BytesIO(upload.content))["Updates"]
    assert updates.cell(1, 10).value == "Author"
    assert {updates.cell(r, 10).value for r in range(2, 6)} == {"Alice Example (NCA)"}
    asked = [call.args["user"] for call in bot.fake.calls_to("users.info")]
    assert sorted(asked) == ["UALICE", "UCHAIR"]  # once each: four updates' author, RAIL's inviter


def test_without_users_read_the_sheet_keeps_the_ids(bot: BotUnderTest) -> None:
    from slack_adapter.client import name_lookup

    bot.fake.fail("users.info", "missing_scope")
    name = name_lookup(bot.client)
    assert [name("UALICE"), name("UBOB"), name("UALICE")] == ["UALICE", "UBOB", "UALICE"]
    assert len(bot.fake.calls_to("users.info")) == 1  # no point asking about anyone else


def quarter_upload(bot: BotUnderTest, text: str) -> tuple[str, Any]:
    """Run the Christmas week, then `/dbm <text>` in January: the reply and the one upload."""
    bot.fake.add_user("UALICE", name="alice", real_name="Alice Example")
    run_christmas_week(bot)
    bot.clock.set(at(date(2027, 1, 4), 10))
    reply = bot.command(text, user=CHAIR).text
    (upload,) = bot.fake.uploaded_files()
    return reply, upload


def test_chair_exports_a_quarter(bot: BotUnderTest) -> None:
    reply, upload = quarter_upload(bot, "export 2026-Q4")
    assert reply == f"Posted `dbm-attendance-2026-Q4.xlsx` in <#{CHANNEL}>."
    assert upload.channel_id == CHANNEL
    assert upload.title == "DBM attendance, October to December 2026 (2026-Q4)"
    comment = upload.initial_comment or ""
    assert comment.startswith("*Attendance, October to December 2026 (2026-Q4)*: 4 briefings")
    assert "• *MDP* Ministry of Defence Police: never attended in the period" in comment
    book = openpyxl.load_workbook(io.BytesIO(upload.content))
    assert book.sheetnames[0] == "Attendance"
    ws = book["Attendance"]
    assert ws.cell(1, 1).value.endswith("October to December 2026 (2026-Q4)")
    assert ws.cell(4, 3).value == datetime(2026, 10, 1)  # every weekday of the quarter
    assert book["Updates"].max_row == 5


def test_chair_posts_the_membership_review(bot: BotUnderTest) -> None:
    reply, upload = quarter_upload(bot, "review 2026-Q4")
    assert reply == f"Posted `dbm-membership-review-2026-Q4.xlsx` in <#{CHANNEL}>."
    assert upload.title == "DBM membership review, October to December 2026 (2026-Q4)"
    comment = upload.initial_comment or ""
    assert comment.startswith("*Membership review, October to December 2026 (2026-Q4)*")
    assert "• *BTP* British Transport Police: attendance 25% is below the review rate" in comment
    assert comment.index("*MDP*") < comment.index("*BTP*")  # never attended comes first
    assert "*RAIL*" not in comment  # 1 of 2: at the review rate, not below it
    book = openpyxl.load_workbook(io.BytesIO(upload.content))
    ws = book.active
    assert ws.title == "Membership review" and book.sheetnames[0] == "Membership review"
    rows = {row[0]: row for row in ws.iter_rows(min_row=5, values_only=True) if row[0]}
    assert rows["RAIL"][3:6] == (datetime(2026, 12, 23), "still invited", "NCA Chair")
    assert rows["BTP"][13] == 0.25 and rows["BTP"][2].startswith("Attendance 25% is below")


def test_only_chairs_review_and_a_bad_period_posts_nothing(bot: BotUnderTest) -> None:
    bot.clock.set(at(date(2026, 11, 25), 14))
    refused = bot.command("review 2026-Q4", user="UALICE").text
    assert "Only the meeting's chairs can use `/dbm review`" in refused
    bad = bot.command("review 31/12/2026 to 01/10/2026", user=CHAIR).text
    assert bad.startswith("The period ends (01/10/2026) before it starts (31/12/2026)")
    assert bad.endswith("Nothing was posted.")
    assert bot.fake.uploaded_files() == []
