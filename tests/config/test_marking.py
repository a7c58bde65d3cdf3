"""The protective marking setting: OFFICIAL-SENSITIVE by default, nothing above OFFICIAL."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import load_meeting


def _meeting(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "meeting.toml"
    path.write_text(text)
    return path


def test_the_marking_defaults_to_official_sensitive(tmp_path: Path) -> None:
    assert load_meeting(_meeting(tmp_path, "[meeting]\n")).marking == "OFFICIAL-SENSITIVE"


def test_a_marking_is_read_in_capitals(tmp_path: Path) -> None:
    path = _meeting(tmp_path, '[meeting]\nmarking = " official "\n')
    assert load_meeting(path).marking == "OFFICIAL"


@pytest.mark.parametrize("raw", ['"SECRET"', '"TOP SECRET"', "1", '""'])
def test_a_marking_above_official_or_not_a_marking_is_one_clear_error(
    tmp_path: Path, raw: str
) -> None:
    path = _meeting(tmp_path, f"[meeting]\nmarking = {raw}\n")
    with pytest.raises(ConfigError) as info:
        load_meeting(path)
    message = str(info.value)
    assert message.startswith(f"{path}: [meeting] marking = ") and "\n" not in message
    assert '"OFFICIAL" or "OFFICIAL-SENSITIVE"' in message
