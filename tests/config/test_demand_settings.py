"""The [meeting] settings of urgent demands: defaults, the shipped file, and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import CONFIG_DIR, MeetingSettings, load_meeting


def _meeting(tmp_path: Path, lines: str) -> Path:
    path = tmp_path / "meeting.toml"
    path.write_text(f"[meeting]\n{lines}\n", encoding="utf-8")
    return path


def test_defaults_and_the_shipped_file() -> None:
    assert (MeetingSettings().demand_lapse_briefings, MeetingSettings().header_demands) == (3, 5)
    shipped = load_meeting(CONFIG_DIR / "meeting.toml")
    assert (shipped.demand_lapse_briefings, shipped.header_demands) == (3, 5)


def test_values_are_read(tmp_path: Path) -> None:
    meeting = load_meeting(_meeting(tmp_path, "demand_lapse_briefings = 5\nheader_demands = 0"))
    assert (meeting.demand_lapse_briefings, meeting.header_demands) == (5, 0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("demand_lapse_briefings = 0", "demand_lapse_briefings = 0 must be a whole number from 1"),
        ('demand_lapse_briefings = "3"', "demand_lapse_briefings = '3' must be a whole number"),
        ("header_demands = 11", "header_demands = 11 must be a whole number from 0 to 10"),
        ("header_demands = true", "header_demands = True must be a whole number"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_meeting(_meeting(tmp_path, line))
