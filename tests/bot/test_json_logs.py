"""LOG_FORMAT=json: one JSON object a line with time, level, logger and message; no update text."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.json_logs import JsonFormatter
from config.errors import ConfigError
from config.settings import load_settings
from tests.conftest import CHANNEL, SIGNING_SECRET
from tests.rig.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]


def record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("bot.opening", logging.ERROR, "x.py", 1, message, args, exc_info)


def test_a_record_is_one_line_of_json_with_the_four_fields() -> None:
    line = JsonFormatter().format(record("posted the header in %s\nand pinned it", "C0DBM"))
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message"}
    assert (entry["level"], entry["logger"]) == ("ERROR", "bot.opening")
    assert entry["message"] == "posted the header in C0DBM\nand pinned it"
    assert datetime.fromisoformat(entry["time"]).utcoffset() is not None


DRIVER_ERROR = "INSERT ... parameters: ('the text of an update',)"


def fail(message: str) -> None:
    raise ValueError(message)


def test_an_exception_is_named_by_its_class_and_frames_never_its_message() -> None:
    try:
        fail(DRIVER_ERROR)
    except ValueError:
        entry = json.loads(JsonFormatter().format(record("failed", exc_info=sys.exc_info())))
    assert entry["exception"] == "ValueError" and entry["frames"]
    assert "the text of an update" not in json.dumps(entry)


def test_log_format_is_text_by_default_json_on_request_and_nothing_else() -> None:
    assert load_settings({}).log_format == "text"
    assert load_settings({"LOG_FORMAT": " JSON "}).log_format == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT='xml' must be text or json"):
        load_settings({"LOG_FORMAT": "xml"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_the_running_bot_logs_json_lines(database_url: str, fake_slack: FakeSlack) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DBM_CHANNEL=CHANNEL,
        SLACK_API_URL=fake_slack.base_url,
        DATABASE_URL=database_url,
        PORT=str(free_port()),
        LOG_FORMAT="json",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(json.loads(line))
            if "serving Slack requests" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert lines and all({"time", "level", "logger", "message"} <= set(e) for e in lines)
    assert lines[-1]["logger"] == "bot.run" and lines[-1]["level"] == "INFO"
