"""Start-up: a missing or bad setting is one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_bot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.slow
def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    result = run_bot({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})
    assert_one_line(result, "SLACK_BOT_TOKEN is not set")


@pytest.mark.slow
def test_missing_channel_is_one_clear_line(tmp_path: Path) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    assert_one_line(run_bot(env), "DBM_CHANNEL is not set")


@pytest.mark.slow
def test_malformed_config_file_names_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (config / "meeting.toml").write_text('[meeting]\nopen_time = "08:30"\nclose_time = \n')
    result = run_bot({"DBM_CONFIG_DIR": str(config)})
    assert_one_line(result, "meeting.toml", "line 3")


@pytest.mark.slow
def test_invalid_setting_value_names_the_setting(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (config / "meeting.toml").write_text('[meeting]\nopen_time = "8.30am"\n')
    assert_one_line(run_bot({"DBM_CONFIG_DIR": str(config)}), "open_time", "08:30")


@pytest.mark.slow
def test_unmigrated_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "DBM_CHANNEL": "C0DBM",
        "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3",
    }
    assert_one_line(run_bot(env), "python -m bot migrate")


@pytest.mark.slow
def test_migrate_then_help(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"}
    migrated = run_bot(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "bodies added" in migrated.stdout
    again = run_bot(env, "migrate")
    assert "0 bodies added" in again.stdout
    listed = run_bot({}, "--help")
    assert "migrate" in listed.stdout and "run" in listed.stdout


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("SLACK_API_URL", "https://slack.com/api", "must be an http(s) URL ending in /api/"),
        ("DBM_CHANNEL", "#dbm", "is not a channel id"),
        ("PORT", "eighty", "is not a port number"),
        ("DBM_CHAIRS", "bob", "is not a Slack user id"),
    ],
)
def test_bad_environment_values(name: str, value: str, fragment: str) -> None:
    from config.errors import ConfigError
    from config.settings import load_settings

    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        load_settings({name: value})


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flag", "env", "fragment"),
    [
        ("--socket", {}, "SLACK_APP_TOKEN is not set but Socket Mode was asked for"),
        ("--http", {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_SIGNING_SECRET is not set"),
    ],
)
def test_procfile_modes_check_their_own_settings(
    tmp_path: Path, flag: str, env: dict[str, str], fragment: str
) -> None:
    """`run --socket` needs the app token; `run --http` needs the signing secret even if an
    app token is set (HTTP mode always verifies Slack's signatures)."""
    base = {"SLACK_BOT_TOKEN": "xoxb-1", "DBM_CHANNEL": "C0DBM"}
    result = run_bot({**base, **env, "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}, "run", flag)
    assert_one_line(result, fragment)


def test_procfile_commands_parse() -> None:
    from bot.cli import build_parser

    for line in (ROOT / "Procfile").read_text().splitlines():
        command = line.split(":", 1)[1].split()
        assert command[:3] == ["python", "-m", "bot"]
        build_parser().parse_args(command[3:])
