"""[meeting] marking and review_rate: defaults, and one clear line for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import load_meeting


def meeting_file(tmp_path: Path, lines: str) -> Path:
    path = tmp_path / "meeting.toml"
    path.write_text(f"[meeting]\n{lines}\n")
    return path


def test_defaults_are_official_sensitive_and_half(tmp_path: Path) -> None:
    meeting = load_meeting(meeting_file(tmp_path, ""))
    assert (meeting.marking, meeting.review_rate) == ("OFFICIAL-SENSITIVE", 50)


def test_the_shipped_file_sets_both(tmp_path: Path) -> None:
    shipped = load_meeting(Path(__file__).resolve().parents[2] / "config" / "meeting.toml")
    assert (shipped.marking, shipped.review_rate) == ("OFFICIAL-SENSITIVE", 50)


@pytest.mark.parametrize(
    "marking", ["OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE PERSONAL"]
)
def test_official_markings_are_accepted(tmp_path: Path, marking: str) -> None:
    meeting = load_meeting(meeting_file(tmp_path, f'marking = "{marking}"\nreview_rate = 75'))
    assert (meeting.marking, meeting.review_rate) == (marking, 75)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('marking = "SECRET"', """[meeting] marking = 'SECRET' must be "OFFICIAL" or"""),
        ("marking = 3", "[meeting] marking = 3 must be"),
        ('marking = "OFFICIAL & co"', "must be"),
        ("review_rate = 150", "[meeting] review_rate = 150 must be a whole number from 0 to 100"),
        ('review_rate = "50%"', "[meeting] review_rate = '50%' must be a whole number"),
    ],
)
def test_a_bad_value_is_one_line_naming_file_and_setting(
    tmp_path: Path, line: str, message: str
) -> None:
    path = meeting_file(tmp_path, line)
    with pytest.raises(ConfigError) as caught:
        load_meeting(path)
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text
    if "marking" in line:
        assert "a chat workspace holds OFFICIAL material at most" in text
