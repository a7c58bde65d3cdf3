"""`python -m bot audit`: the trail in words and UK time, every filter, text and CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.bot.audit_rig import make_trail
from tests.conftest import make_env
from tests.rig.fake_slack import FakeSlack
from tests.rig.harness import BotUnderTest

ROOT = Path(__file__).resolve().parents[2]

JUNE = (
    "Tue 02/06/2026 00:30 BST  Slack user UCHAIR  stood down the meeting of 05/06/2026: "
    "“Royal visit”"
)
MEMBER = (
    "Mon 23/11/2026 08:50 GMT  Slack user UCHAIR  recorded Slack user UALICE as speaking for BTP"
)
OPENED = "Mon 23/11/2026 09:05 GMT  Slack user UCHAIR  opened the briefing of 23/11/2026"
ADDED = (
    "Mon 23/11/2026 09:20 GMT  Slack user UALICE, BTP  added a significant event for BTP "
    "(update 1): “Shots fired at the depot”"
)
PRESENT = (
    "Mon 23/11/2026 09:20 GMT  Slack user UALICE, BTP  marked BTP present at the briefing of "
    "23/11/2026"
)
CHANGED = (
    "Mon 23/11/2026 09:25 GMT  Slack user UALICE, BTP  changed BTP's significant event "
    "(update 1): the time from Sun 22/11/2026 22:40 GMT to Sun 22/11/2026 23:10 GMT; "
    "the summary from “Shots fired at the depot” to “Shots fired near the depot”"
)
ABSENT = (
    "Mon 23/11/2026 09:40 GMT  Slack user UCHAIR  marked NPAC absent at the briefing of 23/11/2026"
)


@pytest.fixture
def trail(
    bot: BotUnderTest,
    database_url: str,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app has made an audit trail; the command line runs on the same database."""
    make_trail(bot)
    for name, value in make_env(database_url, fake_slack.base_url).items():
        monkeypatch.setenv(name, value)


def audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["audit", *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


@pytest.mark.usefixtures("trail")
def test_every_entry_in_words_and_uk_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = audit(capsys)
    assert code == 0 and err == ""
    assert lines == [JUNE, MEMBER, OPENED, ADDED, PRESENT, CHANGED, ABSENT]


@pytest.mark.usefixtures("trail")
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--body", "BTP"], [MEMBER, ADDED, PRESENT, CHANGED]),
        (["--body", "npac"], [ABSENT]),
        (["--user", "UALICE"], [MEMBER, ADDED, PRESENT, CHANGED]),
        (["--user", "UCHAIR"], [JUNE, MEMBER, OPENED, ABSENT]),
        (["--action", "update"], [ADDED, CHANGED]),
        (["--action", "update.edit"], [CHANGED]),
        (["--action", "Attendance"], [PRESENT, ABSENT]),
        (["--since", "23/11/2026"], [MEMBER, OPENED, ADDED, PRESENT, CHANGED, ABSENT]),
        (["--since", "2026-06-02", "--until", "02/06/2026"], [JUNE]),
        (["--until", "01/06/2026"], []),
        (["--body", "BTP", "--action", "attendance", "--until", "2026-11-23"], [PRESENT]),
    ],
)
def test_filters(capsys: pytest.CaptureFixture[str], argv: list[str], expected: list[str]) -> None:
    code, lines, err = audit(capsys, *argv)
    assert code == 0 and err == ""
    assert lines == (expected or ["no audit entries match"])


@pytest.mark.usefixtures("trail")
def test_csv_for_a_spreadsheet_with_before_and_after_in_uk_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["audit", "--format", "csv", "--action", "update.edit"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert code == 0
    header, (row,) = rows[0], rows[1:]
    assert header == ["When (UK time)", "Who", "Action", "What", "Before", "After", "Entry"]
    record = dict(zip(header, row, strict=True))
    assert record["When (UK time)"] == "Mon 23/11/2026 09:25 GMT"
    assert record["Who"] == "Slack user UALICE, BTP" and record["Action"] == "update.edit"
    assert record["What"] == CHANGED.split("  ", 2)[2]
    assert "time: Sun 22/11/2026 22:40 GMT" in record["Before"]
    assert "time: Sun 22/11/2026 23:10 GMT" in record["After"]
    assert "summary: “Shots fired near the depot”" in record["After"]
    assert "+00:00" not in row[4] + row[5] and "body: BTP" in record["After"]


@pytest.mark.usefixtures("trail")
def test_csv_with_nothing_to_show_is_the_header(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--format", "csv", "--user", "UNOBODY1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "When (UK time),Who,Action,What,Before,After,Entry"
    ]


@pytest.mark.usefixtures("trail")
@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--since", "31/02/2026"], "--since '31/02/2026' is not a date: give it day first"),
        (["--until", "tomorrow"], "--until 'tomorrow' is not a date"),
        (["--since", "24/11/2026", "--until", "23/11/2026"], "is after --until"),
        (["--user", "alice"], "--user 'alice' is not a Slack user id"),
        (["--action", "frobnicate"], "--action 'frobnicate' is not an action"),
        (["--format", "xml"], "--format 'xml' must be text or csv"),
        (["--body", "NOPE"], "--body 'NOPE' is not a body's code"),
    ],
)
def test_a_bad_filter_is_one_line_on_stderr_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, lines, err = audit(capsys, *argv)
    assert code == 2 and lines == []
    (line,) = err.strip().splitlines()
    assert line.startswith("dbm-bot: ") and fragment in line


def test_a_bad_date_at_the_real_entry_point(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    base["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "audit", "--since", "next week"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
