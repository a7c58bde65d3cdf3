"""`python -m bot run --socket` as a real process: health on its own port, and a clean stop.

The process connects to the local Socket Mode server (tests/rig/fake_socket_mode.py), which the
stand-in's apps.connections.open hands out, and calls the stand-in for everything else.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from standin import payloads
from storage.db import session_scope
from storage.models import Body
from tests.conftest import CHAIR, CHANNEL, make_env
from tests.rig.fake_slack import FakeSlack
from tests.rig.fake_socket_mode import FakeSocketModeServer, Link, wait_until

pytestmark = pytest.mark.slow  # starts processes

ROOT = Path(__file__).resolve().parents[2]
STOP_SECONDS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return int(answer.status), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketModeServer]:
    server = FakeSocketModeServer()
    fake_slack.socket_mode_url = server.url
    yield server
    server.close()


def start_bot(fake: FakeSlack, database_url: str, health_port: int) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    env = make_env(
        database_url,
        fake.base_url,
        SLACK_APP_TOKEN="xapp-test",
        DBM_HEALTH_PORT=str(health_port),
        DBM_STOP_SECONDS=str(STOP_SECONDS),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--socket"],
        cwd=ROOT,
        env={**base, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def invite(link: Link, fake: FakeSlack) -> None:
    """A chair's `/dbm invite`, which changes the record, sent and acked."""
    command = payloads.slash_command(
        "invite ZZZ Zed Constabulary", user=CHAIR, channel=CHANNEL, response_url=fake.response_url()
    )
    link.send({"envelope_id": "env-invite", "type": "slash_commands", "payload": command})
    wait_until(lambda: {"envelope_id": "env-invite"} in link.texts, timeout=10)


def test_socket_mode_serves_health_and_stops_cleanly_on_sigterm(
    fake_slack: FakeSlack, socket_server: FakeSocketModeServer, database_url: str, engine: Engine
) -> None:
    port = free_port()
    bot = start_bot(fake_slack, database_url, port)
    try:
        wait_until(lambda: len(socket_server.links) == 1 or bot.poll() is not None, timeout=30)
        assert bot.poll() is None, bot.communicate()[1]
        wait_until(lambda: get_status(port, "/readyz") == 200, timeout=10)
        # The server lists a link once its handshake is done, a moment before the client
        # records the session as its own.
        wait_until(lambda: get(port, "/livez")[1]["socket_mode"]["connected"], timeout=10)
        assert get(port, "/livez") == (200, {
            "ok": True, "scheduler": {"ok": True}, "socket_mode": {"ok": True, "connected": True}
        })  # fmt: skip
        status, report = get(port, "/healthz")
        assert status == 200 and report["slack"] == {"ok": True}  # no names
        invite(socket_server.links[0], fake_slack)
        started = time.monotonic()
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=STOP_SECONDS + 10)
        stopped = time.monotonic() - started
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.communicate()
    assert bot.returncode == 0, err
    lines = [line for line in err.splitlines() if "stopped in" in line]
    assert len(lines) == 1 and "requests in flight answered" in lines[0], err
    assert "left for the next start" in lines[0] and "Traceback" not in err
    assert stopped < STOP_SECONDS
    assert socket_server.links[0].closed.is_set()
    with session_scope(engine) as session:
        assert session.exec(select(Body.name).where(Body.code == "ZZZ")).one() == "Zed Constabulary"


def test_an_app_token_slack_refuses_is_one_line_and_exit_2(
    fake_slack: FakeSlack, database_url: str
) -> None:
    fake_slack.socket_mode_url = None  # Socket Mode is off for the app: the token is refused
    bot = start_bot(fake_slack, database_url, free_port())
    _, err = bot.communicate(timeout=30)
    assert bot.returncode == 2, err
    assert err.splitlines()[-1] == (
        "dbm-bot: SLACK_APP_TOKEN was refused by Slack (invalid_auth): create an app-level token "
        "with connections:write on the app's Basic Information page"
    )


def test_http_mode_answers_the_checks_on_its_own_port_and_stops_cleanly(
    fake_slack: FakeSlack, database_url: str
) -> None:
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
    env = make_env(database_url, fake_slack.base_url, PORT=str(port))
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http"],
        cwd=ROOT,
        env={**base, **env},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: bot.poll() is not None or get_status(port, "/readyz") == 200, timeout=30)
        assert get(port, "/livez") == (200, {"ok": True, "scheduler": {"ok": True}})
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=STOP_SECONDS + 10)
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.communicate()
    assert bot.returncode == 0, err
    assert len([line for line in err.splitlines() if "stopped in" in line]) == 1, err


def get_status(port: int, path: str) -> int | None:
    try:
        return get(port, path)[0]
    except OSError:
        return None
