"""`python -m bot demo`: a shortened week whose spreadsheet matches the transcript and database."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from config.settings import load_settings
from demo import DemoOptions, DemoResult, run_demo
from demo.cast import Part, cast_bodies
from meeting.sheets.attendance import FIRST_BODY_ROW, HEADER_ROW
from meeting.week import LABELS, IsoWeek, Mark

# Each run plays whole simulated days through the real app, the stand-in and the scheduler's
# jobs, as `python -m bot demo` does: 5-10 s a run, so not an everyday test.
pytestmark = [pytest.mark.slow, pytest.mark.pure]  # the demo makes its own SQLite

WEEK = IsoWeek(2026, 48)  # Monday 23 to Friday 27 November 2026: no bank holiday
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


@pytest.fixture(scope="module")
def two_days() -> DemoResult:
    """Monday and Tuesday of the demo week, run once for the module."""
    return run_demo(load_settings({}), DemoOptions(WEEK, days=2, seed=7))


def sheet_marks(content: bytes) -> dict[tuple[date, str], str]:
    """The Attendance sheet's cells as {(day, code): label}."""
    sheet = load_workbook(io.BytesIO(content))["Attendance"]
    days = {}
    for column in range(3, sheet.max_column + 1):
        value = sheet.cell(HEADER_ROW, column).value
        if hasattr(value, "date"):
            days[column] = value.date()
    marks = {}
    for row in range(FIRST_BODY_ROW, sheet.max_row + 1):
        code = sheet.cell(row, 1).value
        if code:
            for column, day in days.items():
                marks[(day, str(code))] = str(sheet.cell(row, column).value)
    return marks


def test_spreadsheet_attendance_matches_database_and_script(two_days: DemoResult) -> None:
    marks = sheet_marks(two_days.spreadsheet)
    assert two_days.filename == "dbm-attendance-2026-W48.xlsx"
    assert {day for day, _ in two_days.expected} == {MONDAY, TUESDAY}
    assert two_days.recorded == two_days.expected  # what people did is what was stored
    for (day, code), state in two_days.recorded.items():
        assert marks[(day, code)] == LABELS[Mark(state)], (day, code)
    assert {marks[(date(2026, 11, 25), code)] for _, code in two_days.recorded} == {"No meeting"}


def test_parts_played_show_in_sheet_and_transcript(two_days: DemoResult) -> None:
    bodies = cast_bodies(load_settings({}).bodies)
    never = next(b.code for b in bodies if b.part is Part.NEVER)
    sorry = next(b.code for b in bodies if b.part is Part.APOLOGIES)
    marks = sheet_marks(two_days.spreadsheet)
    text = "\n".join(two_days.transcript)
    assert marks[(MONDAY, never)] == marks[(TUESDAY, never)] == "Absent"
    assert marks[(MONDAY, sorry)] == marks[(TUESDAY, sorry)] == "Apologies"
    for day in ("Monday 23", "Tuesday 24"):
        assert f"Recorded *{sorry}* as apologies at the briefing of {day} November 2026." in text
    assert f"• *{never}* " in text  # named in the reminder as not checked in
    grid_row = next(line for line in text.splitlines() if line.strip().startswith(never + " "))
    assert grid_row.split()[1:3] == ["X", "X"]


def test_malformed_replies_get_specific_answers_and_nothing_fails(two_days: DemoResult) -> None:
    text = "\n".join(two_days.transcript)
    assert "Not recorded: `wombats` is not a threat I know." in text
    assert "looks like SECRET material" in text
    assert "outside this briefing's look-back window for events" in text
    assert "You are not listed as speaking for any body, so nothing was recorded." in text
    assert text.count("bot posts in the thread:\n      Digest: briefing of") == 2
    assert "bot uploads “DBM attendance, week commencing Mon 23/11/2026”" in text
    assert two_days.acks and all(status == 200 and s < 3 for status, s in two_days.acks)


def test_command_line_writes_the_spreadsheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "week.xlsx"
    code = main(["demo", "--days", "1", "--week", "2026-W48", "--quiet", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert load_workbook(out)["Attendance"].cell(1, 1).value.endswith("Mon 23/11/2026")
    assert "Week 2026-W48: 1 briefings" in printed and "as scripted for 25 of 25" in printed
    assert "@chair: /dbm" not in printed  # --quiet prints the summary only
    bad = main(["demo", "--out", str(tmp_path / "week.csv")])
    assert bad == 2 and ".xlsx" in capsys.readouterr().err


def test_the_meeting_flows_show_in_the_first_two_days(two_days: DemoResult) -> None:
    text = "\n".join(two_days.transcript)
    assert "*Call at 09:30* · closes at 11:00 (UK time)" in text
    assert "bot updates the header: *Roll call:* 1 of 25 bodies checked in · 24 to go" in text
    assert "bot updates the header: *Final roll call:*" in text and "*Closed at 11:00*" in text
    assert text.count("scheduler runs the running_order job") == 2
    assert text.count("Running order: call of Monday 23 November 2026") == 1
    assert "Is your urgent demand still needed?" in text and "presses [Still needed]" in text
    assert "Noted: still needed. It stays in the briefing header until it is met." in text
    assert "Today's briefing closed at 11:00; the digest is in the thread" in text  # status
    assert "has closed; the digest is in" in text  # and /dbm open agrees
    assert "@visitor: /dbm summary" in text and "ask a chair to run `/dbm member @you" in text


def test_a_whole_week_shows_a_demand_lapse_and_reopen_and_a_day_without_a_meeting() -> None:
    week = run_demo(load_settings({}), DemoOptions(WEEK, days=5, seed=2026))
    text = "\n".join(week.transcript)
    assert "Carried demands that lapsed at this close (1)" in text
    assert ":hourglass: *Your urgent demand lapsed:*" in text
    assert "@chair presses [Reopen]" in text and "Reopened: the demand is carried" in text
    assert "*Saturday 28 November 2026*: No meeting today: Saturday." in text
    assert week.recorded == week.expected
