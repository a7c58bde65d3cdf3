"""The real bot as a process: `python -m bot run --http`, started, stopped and killed by tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """One run of the bot in HTTP mode; its log goes to a file the test can read."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DBM_"))}
        base.pop("DATABASE_URL", None)
        self.log = log
        self._log = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--http"],
            cwd=ROOT,
            env={**base, **env, "PORT": str(self.port)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        """The Events API endpoint."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Block until /healthz answers (the bot is serving)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the bot exited early:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # answering at all means serving
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the bot never became ready:\n{self.log.read_text()[-3000:]}")

    def signal(self, signum: signal.Signals) -> None:
        """Send a signal (SIGTERM: a clean stop; SIGKILL: a crash)."""
        self.process.send_signal(signum)

    def wait(self, timeout: float = 30.0) -> int:
        """Wait for the process to end; its exit code."""
        code = self.process.wait(timeout=timeout)
        self._log.close()
        return code

    def stop(self) -> None:
        """Kill it if it is still running (test clean-up)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()
