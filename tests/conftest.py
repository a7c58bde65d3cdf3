"""Fixtures: database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), fake Slack, the bot."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import slack_adapter.client
from config.settings import Settings, load_settings
from storage.db import make_engine
from storage.migrate import upgrade
from tests.rig.fake_slack import FakeSlack
from tests.rig.harness import BotUnderTest, FakeClock

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
SHARED = Path(__file__).resolve().parents[2] / "shared"
CHANNEL = "C0DBM"
CHAIR = "UCHAIR"
SIGNING_SECRET = "test-signing-secret"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's Slack or database settings, and never wait the second
    that a failed post waits before looking whether it landed."""
    monkeypatch.setattr(slack_adapter.client, "UNSURE_PAUSE", 0.01)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "DBM_")) or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name)


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def _database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or the PostgreSQL URL migrated once."""
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        _reset_postgres(engine)
        upgrade(engine)
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


def _truncate_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(_database_template: str, tmp_path: Path) -> str:
    """A fresh, migrated, empty database for one test."""
    if TEST_DATABASE_URL:
        _truncate_postgres(_database_template)
        return _database_template
    path = tmp_path / "dbm.sqlite3"
    shutil.copyfile(_database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A local fake of Slack's Web API with the chair and a few participants."""
    with FakeSlack() as fake:
        fake.add_user(CHAIR, name="chair", real_name="NCA Chair")
        for user in ("UALICE", "UBOB", "UCAROL"):
            fake.add_user(user, name=user.lower())
        fake.set_channel(CHANNEL, name="dbm", is_private=True)
        yield fake


def make_env(database_url: str, api_url: str, **overrides: str) -> dict[str, str]:
    """The environment a test bot runs with."""
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DBM_CHANNEL": CHANNEL,
        "DBM_CHAIRS": CHAIR,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
    }
    env.update(overrides)
    return env


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    """Settings pointing at the test database and the fake Slack."""
    return load_settings(make_env(database_url, fake_slack.base_url))


@pytest.fixture
def clock() -> FakeClock:
    """An injectable clock (Monday 23 November 2026, 08:30 GMT by default)."""
    return FakeClock()


@pytest.fixture
def bot(
    settings: Settings, fake_slack: FakeSlack, clock: FakeClock, engine: Engine
) -> Iterator[BotUnderTest]:
    """The real app over HTTP, seeded with the roster from config/bodies.toml."""
    from bot.run import seed_roster

    seed_roster(settings, engine, now=datetime(2026, 1, 1, tzinfo=UTC))
    under_test = BotUnderTest(settings, fake_slack, clock, engine)
    yield under_test
    under_test.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, skip the tests that never touch the test database: the SQLite
    pass of CI ran exactly the same thing."""
    if not TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="does not touch the test database: the SQLite pass ran it")
    for item in items:
        if item.get_closest_marker("pure") is not None:
            item.add_marker(skip)


def needs_shared() -> pytest.MarkDecorator:
    """Skip a test that reads ../shared when that folder is absent."""
    return pytest.mark.skipif(
        not SHARED.is_dir(), reason=f"{SHARED} is absent: Slack's specs are not available here"
    )
