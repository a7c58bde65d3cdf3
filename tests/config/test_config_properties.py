"""Bad input, generated: config files, settings, /dbm text. Never a crash; always a clear answer."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.cli import main
from config.errors import ConfigError
from config.files import load_bodies, load_threats
from config.settings import CONFIG_DIR, load_meeting, load_settings
from handlers.commands import subcommand_table
from handlers.router import split_command
from tests.conftest import CHAIR
from tests.rig.harness import BotUnderTest

Loader = Callable[[Path], Any]
LOADERS: dict[str, Loader] = {
    "bodies.toml": load_bodies,
    "threats.toml": load_threats,
    "meeting.toml": load_meeting,
}

# Text as an operator or Slack might send it: controls, right-to-left marks, emoji, markup.
NASTY = st.sampled_from(["\u202e", "\u200f", "\u0000", "\x7f", "😀", "<!channel>", "*_~`", "\r\n"])
TEXT = st.lists(st.one_of(st.text(max_size=20), NASTY), max_size=5).map("".join)
ENV_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))


def toml_value(value: Any) -> str:
    """A value in TOML syntax (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


SCALARS = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
CODES = st.sampled_from(["NCA", "ERSOU", "CSEA", "nca", "N", "A" * 17, "1AB"]) | TEXT
TEAMS = st.lists(st.sampled_from(["T0PARTNER", "E0GRID", "C0NOTATEAM"]) | TEXT, max_size=3)


def entries(name: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    """[[body]] or [[threat]] tables with plausible and implausible fields."""
    fields = st.fixed_dictionaries(
        {},
        optional={
            "code": CODES | VALUES,
            "name": TEXT | VALUES,
            "external_team_ids": TEAMS | VALUES,
            "priority": st.booleans() | VALUES,
            "aliases": st.lists(TEXT, max_size=3) | VALUES,
            "extra": VALUES,
        },
    )
    return st.lists(fields, max_size=4)


def array_of_tables(name: str, tables: list[dict[str, Any]]) -> str:
    lines = []
    for table in tables:
        lines.append(f"[[{name}]]")
        lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


MEETING_KEYS = {
    "meeting": st.fixed_dictionaries(
        {},
        optional={
            "open_time": st.sampled_from(["08:30", "8:30", "24:00", "08:30:00"]) | VALUES,
            "close_time": st.sampled_from(["11:00", "07:00"]) | VALUES,
            "call_time": VALUES,
            "timezone": st.sampled_from(["Europe/London", "UTC", "Mars/Base", "Europe"]) | VALUES,
            "bank_holidays": st.sampled_from(["scotland", "wales"]) | VALUES,
            "lookback_hours": st.integers(-5, 400) | VALUES,
            "grace_minutes": VALUES,
            "review_rate": st.integers(-5, 150) | VALUES,
            "marking": st.sampled_from(["OFFICIAL", "official-sensitive", "SECRET"]) | VALUES,
        },
    ),
    "chairs": st.fixed_dictionaries(
        {},
        optional={"users": st.lists(st.sampled_from(["U0CHAIR", "x"]) | TEXT), "usergroup": VALUES},
    ),
    "export": st.fixed_dictionaries({}, optional={"day": VALUES, "time": VALUES}),
    "retention": st.fixed_dictionaries({}, optional={"update_text_days": VALUES}),
}


def meeting_toml(tables: dict[str, dict[str, Any]]) -> str:
    lines = []
    for name, table in tables.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def loads_or_says_why(loader: Loader, path: Path) -> None:
    """The property: a result, or a one-line ConfigError that starts with the file's path."""
    try:
        loader(path)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        assert "\n" not in message, message


def write_and_load(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        loads_or_says_why(LOADERS[name], path)


@pytest.mark.parametrize("name", sorted(LOADERS))
@settings(max_examples=40, deadline=None)
@given(content=st.binary(max_size=300) | TEXT.map(str.encode))
def test_any_bytes_as_a_config_file_load_or_name_the_file(name: str, content: bytes) -> None:
    write_and_load(name, content)


@settings(max_examples=80, deadline=None)
@given(tables=entries("body"))
def test_any_bodies_file_loads_or_names_the_file(tables: list[dict[str, Any]]) -> None:
    write_and_load("bodies.toml", array_of_tables("body", tables).encode())


@settings(max_examples=80, deadline=None)
@given(tables=entries("threat"))
def test_any_threats_file_loads_or_names_the_file(tables: list[dict[str, Any]]) -> None:
    write_and_load("threats.toml", array_of_tables("threat", tables).encode())


@settings(max_examples=150, deadline=None)
@given(tables=st.fixed_dictionaries({}, optional=MEETING_KEYS))
def test_any_meeting_file_loads_or_names_the_file(tables: dict[str, dict[str, Any]]) -> None:
    write_and_load("meeting.toml", meeting_toml(tables).encode())


ENV_NAMES = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "DATABASE_URL",
    "DBM_CHANNEL",
    "SLACK_API_URL",
    "DBM_CHAIRS",
    "PORT",
    "LOG_LEVEL",
    "LOG_FORMAT",
]


@settings(max_examples=200, deadline=None)
@given(env=st.dictionaries(st.sampled_from(ENV_NAMES), ENV_TEXT))
@example(env={"PORT": "0"})
@example(env={"DBM_CHANNEL": "C0DBM\n"})
@example(env={"SLACK_API_URL": "https://slack.com/api/"})
def test_any_environment_gives_settings_or_one_clear_error(env: dict[str, str]) -> None:
    try:
        load_settings(env)
    except ConfigError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize(
    ("file_text", "env"),
    [
        ("[meeting]\nbank_holidays = []\n", {}),
        ('[meeting]\ntimezone = "Europe"\n', {}),
        ("", {"PORT": "²"}),
    ],
)
def test_odd_values_found_by_hypothesis_are_clear_errors(
    tmp_path: Path, file_text: str, env: dict[str, str]
) -> None:
    config = copy_config(tmp_path)
    if file_text:
        (config / "meeting.toml").write_text(file_text)
    with pytest.raises(ConfigError):
        load_settings({**env, "DBM_CONFIG_DIR": str(config)})


# ---- malformed config files stop start-up with the file, where, and the problem -------------


def copy_config(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return config


BODY = '[[body]]\ncode = "{code}"\nname = {name}\n'
THREAT = '[[threat]]\ncode = "{code}"\nname = "A threat"\npriority = {priority}\n'


@pytest.mark.parametrize(
    ("file", "text", "fragments"),
    [
        (
            "bodies.toml",
            BODY.format(code="NCA", name='"NCA"') + '[[body]]\ncode = "ERSOU\nname = "x"\n',
            ["bodies.toml", "line 5"],
        ),
        (
            "bodies.toml",
            BODY.format(code="NCA", name='"NCA"') + BODY.format(code="NCA", name='"Again"'),
            ["bodies.toml", "body code 'NCA' appears more than once"],
        ),
        (
            "bodies.toml",
            BODY.format(code="NCA", name="42"),
            ["bodies.toml", "body NCA", "'name' must be a non-empty string"],
        ),
        (
            "threats.toml",
            THREAT.format(code="CSEA", priority="true") + "[[threat]\n",
            ["threats.toml", "line 5"],
        ),
        (
            "threats.toml",
            THREAT.format(code="CSEA", priority="true")
            + THREAT.format(code="CSEA", priority="false"),
            ["threats.toml", "threat code 'CSEA' appears more than once"],
        ),
        (
            "threats.toml",
            THREAT.format(code="CSEA", priority='"yes"'),
            ["threats.toml", "threat CSEA", "'priority' must be true or false"],
        ),
    ],
)
def test_malformed_roster_and_threat_files_stop_start_up(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    file: str,
    text: str,
    fragments: list[str],
) -> None:
    config = copy_config(tmp_path)
    (config / file).write_text(text)
    monkeypatch.setenv("DBM_CONFIG_DIR", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/never.sqlite3")
    assert main(["migrate"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    for fragment in fragments:
        assert fragment in line
    assert not (tmp_path / "never.sqlite3").exists()  # stopped before touching anything


# ---- /dbm text ---------------------------------------------------------------------------


@settings(max_examples=300)
@given(text=st.text())
@example(text="  HeLp   me  ")
@example(text="\u202eNEPO")
def test_split_command_never_raises(text: str) -> None:
    name, args = split_command(text)
    assert name == name.lower() and not any(ch.isspace() for ch in name)
    assert args == args.strip()
    assert (name == "") == (text.strip() == "")
    if name:
        assert text.strip().split(maxsplit=1)[0].lower() == name


SUBCOMMANDS = st.sampled_from(sorted({sub.name for sub in subcommand_table()}) + ["", "nope"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=SUBCOMMANDS, args=TEXT, user=st.sampled_from(["UALICE", CHAIR]))
@example(name="help", args="x" * 40_000, user="UALICE")
@example(name="\u202eopen", args="<!everyone> 😀\x00", user=CHAIR)
def test_dbm_with_any_text_answers_ephemerally(
    bot: BotUnderTest, name: str, args: str, user: str
) -> None:
    bot.fake.reset_calls()
    result = bot.command(f"{name} {args}", user=user)
    assert result.response.status == 200, result.response.body
    modals = bot.fake.calls_to("views.open")
    assert result.replies or modals, "no answer at all"
    for reply in result.replies:
        assert reply.args.get("response_type") == "ephemeral", reply.args
        assert "Traceback" not in str(reply.args.get("text"))
