"""Readiness on a SQLite file made read-only with chmod, and on a disk that is really full.

Each needs what a test cannot take for granted: a user to whom file permissions apply (root
ignores them) and a small file system to fill. Linux user namespaces (`unshare`, util-linux)
give both without privileges where the kernel allows them: run as root, the read-only check
runs as user 1000 inside one; the full-disk check mounts a 4 MiB tmpfs inside one and fills it
until the kernel answers ENOSPC, as a full disk does. Where that is not possible the test skips
and says why. The checks run in processes of their own (tests/rig/write_probe.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from storage.db import make_engine
from storage.migrate import upgrade

pytestmark = [
    pytest.mark.slow,  # starts processes
    pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare (util-linux) is absent"),
]

ROOT = Path(__file__).resolve().parents[2]
PROBE = [sys.executable, "-m", "tests.rig.write_probe"]
REFUSED = {"ok": False, "reachable": True, "migrated": True, "writable": False}


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def reports(result: subprocess.CompletedProcess[str], why: str) -> list[dict[str, Any]]:
    """The child's reports; a skip if the namespace itself could not be made."""
    if result.returncode != 0 and not result.stdout:
        if result.stderr.startswith(("unshare:", "mount:")):
            pytest.skip(f"{why}: {result.stderr.strip().splitlines()[-1]}")
        pytest.fail(result.stderr)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_database_file_made_read_only_fails_readiness(tmp_path: Path) -> None:
    path = tmp_path / "dbm.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    as_a_user = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    command = [*as_a_user, *PROBE, url] if os.geteuid() == 0 else [*PROBE, url]
    why = "cannot run as a user other than root here (a user namespace)"
    assert reports(run(command), why) == [{**REFUSED, "ok": True, "writable": True}]
    path.chmod(0o444)
    assert reports(run(command), why) == [{**REFUSED, "error": "read-only"}]


def test_a_full_disk_fails_readiness_until_space_is_freed(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    script = (
        'mount -t tmpfs -o size=4m tmpfs "$1" && '
        'exec "$2" -m tests.rig.write_probe "sqlite:///$1/dbm.sqlite3" --fill "$1"'
    )
    namespace = ["unshare", "--user", "--map-root-user", "--mount"]
    result = run([*namespace, "sh", "-c", script, "sh", str(small), sys.executable])
    why = "cannot mount a small file system here (a user and mount namespace)"
    before, full, freed = reports(result, why)
    assert before["ok"] is True and freed["ok"] is True
    assert full == {**REFUSED, "error": "disk full"}
