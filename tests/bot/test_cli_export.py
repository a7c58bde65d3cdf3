"""`python -m bot export`: the spreadsheet written offline; bad input is one line, exit 2."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from bot.cli import main
from bot.run import seed_roster
from config.settings import load_settings
from meeting.attendance import State
from storage.db import session_scope
from tests.meeting.attendance_builders import add_briefing, mark

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def week_47(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with Monday 16 November 2026's briefing, and the env pointing at it."""
    settings = load_settings({"DATABASE_URL": database_url})
    seed_roster(settings, engine, now=datetime(2026, 1, 1, tzinfo=UTC))
    with session_scope(engine) as session:
        briefing = add_briefing(session, date(2026, 11, 16))
        mark(session, briefing, "BTP", State.PRESENT)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DBM_CHANNEL", "C0DBM")
    return database_url


def test_export_writes_the_week(
    week_47: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "w47.xlsx"
    assert main(["export", "--week", "2026-W47", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Attendance"]
    rows = {ws.cell(r, 1).value: r for r in range(6, 40) if ws.cell(r, 1).value}
    assert ws.cell(rows["BTP"], 3).value == "Present"
    assert ws.cell(rows["MDP"], 3).value == "Not recorded"
    assert ws.cell(1, 1).value.endswith("week commencing Mon 16/11/2026")


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["2026-W47"], "week commencing Mon 16/11/2026"),
        (["18/11/2026"], "week commencing Mon 16/11/2026"),
        (["--week", "2026-11-16"], "week commencing Mon 16/11/2026"),
        (["Nov 2026"], "November 2026"),
        (["--month", "2026-11"], "November 2026"),
        (["--quarter", "2026-Q4"], "October to December 2026 (2026-Q4)"),
        (["2026-q4"], "October to December 2026 (2026-Q4)"),
        (["--from", "01/11/2026", "--to", "2026-11-20"], "01/11/2026 to 20/11/2026"),
    ],
)
def test_export_takes_every_period_form(
    week_47: str, args: list[str], title: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "period.xlsx"
    assert main(["export", *args, "--out", str(out)]) == 0
    assert f"(attendance, {title}," in capsys.readouterr().out
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book["Attendance"].cell(1, 1).value == f"Daily Briefing Meeting attendance, {title}"
    rows = {row[0]: row for row in book["Membership review"].iter_rows(min_row=5, values_only=True)}
    assert rows["BTP"][7] == 1 and rows["BTP"][13] == 1  # expected once, attended once


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2026-W60"], "--week '2026-W60': 2026 has no week 60"),
        (["9999-W52"], "PERIOD '9999-W52': 9999 is out of range"),
        (["--month", "2026-Q4"], "--month '2026-Q4': 2026-Q4 is not a month"),
        (["--from", "01/10/2026"], "Give both ends of the period"),
        (["--from", "31/12/2026", "--to", "01/10/2026"], "ends (01/10/2026) before it starts"),
        (["--week", "last", "--quarter", "this"], "Give one period, not --week and --quarter."),
        (["--from", "01/01/2025", "--to", "31/12/2026"], "a workbook covers at most 366"),
        (["--week", "2026-W47", "--out", "/nonexistent/dir/x.xlsx"], "does not exist"),
        (["--week", "2026-W47", "--out", "x.csv"], "must be a file name ending in .xlsx"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    week_47: str, args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.xlsx")]
    assert main(["export", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("dbm-bot: ")
    assert not (tmp_path / "x.xlsx").exists()


def test_unmigrated_database_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert main(["export", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "python -m bot migrate" in capsys.readouterr().err


@pytest.mark.slow
def test_runs_as_a_module(week_47: str, tmp_path: Path) -> None:
    out = tmp_path / "module.xlsx"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    env.update(DATABASE_URL=week_47, DBM_CHANNEL="C0DBM")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--week", "2026-W47", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"PK")
