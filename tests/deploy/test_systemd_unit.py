"""deploy/dbm-bot.service: systemd accepts it, and it stops and restarts the bot as intended."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "dbm-bot.service"
INSTALLED_PYTHON = "/opt/dbm-bot/.venv/bin/python"
CLEAN_STOP_SECONDS = 10  # the bot's clean stop takes at most this long by default (issue 11)

needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian: apt-get install systemd; .ci/run does)",
)


def service() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser["Service"]


def verify(unit_text: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify` on the unit, with this machine's Python where the bot's would be."""
    unit = folder / "dbm-bot.service"
    unit.write_text(unit_text.replace(INSTALLED_PYTHON, sys.executable))
    return subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )


@needs_systemd
def test_systemd_accepts_the_unit_without_a_warning(tmp_path: Path) -> None:
    result = verify(UNIT.read_text(), tmp_path)
    assert result.returncode == 0 and result.stdout + result.stderr == ""


@needs_systemd
def test_the_check_would_catch_a_mistyped_setting(tmp_path: Path) -> None:
    result = verify(UNIT.read_text().replace("TimeoutStopSec=", "TimeoutStopSecs="), tmp_path)
    assert "Unknown key 'TimeoutStopSecs'" in result.stderr


def test_it_stops_with_sigterm_and_waits_for_the_clean_stop() -> None:
    unit = service()
    assert unit["KillSignal"] == "SIGTERM"
    assert int(unit["TimeoutStopSec"]) >= CLEAN_STOP_SECONDS + 5


def test_it_restarts_on_failure_but_not_on_a_bad_setting() -> None:
    unit = service()
    assert unit["Restart"] == "on-failure" and unit["RestartPreventExitStatus"] == "2"


def test_it_reads_an_environment_file_and_sets_the_health_port() -> None:
    unit = service()
    assert unit["EnvironmentFile"].startswith("/etc/")
    name, _, port = unit["Environment"].partition("=")
    assert name == "DBM_HEALTH_PORT" and 0 < int(port) < 65536


def test_its_commands_are_the_bots_own() -> None:
    unit = service()
    for key in ("ExecStartPre", "ExecStart"):
        program, *args = unit[key].split()
        assert program == INSTALLED_PYTHON and args[:2] == ["-m", "bot"]
        build_parser().parse_args(args[2:])
