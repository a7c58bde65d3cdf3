"""The rush before the call: every body checks in and posts three updates, concurrently.

Through the HTTP endpoint with signed requests; afterwards every reply is stored exactly once
and every body is present. The full-size figure (all requests at once) is in the benchmark.
"""

from __future__ import annotations

import pytest

from bench.load import LoadResult, run_load
from config.settings import load_settings
from tests.conftest import TEST_DATABASE_URL

SLACK_ACK_LIMIT = 3.0
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def check(result: LoadResult) -> None:
    """Acknowledged in time, nothing lost, nothing stored twice, everyone checked in."""
    assert len(result.timings) == result.bodies + result.replies
    assert {status for status, _ in result.timings} == {200}
    assert result.slowest < SLACK_ACK_LIMIT, f"slowest acknowledgement {result.slowest:.2f} s"
    assert result.stored_updates == result.distinct_replies_stored == result.replies
    assert result.attendance == result.bodies


@pytest.mark.slow  # the rush: a load test
@pytest.mark.skipif(not ON_POSTGRES, reason="TEST_DATABASE_URL is not PostgreSQL: run with it set")
def test_sixty_bodies_check_in_and_post_three_updates_on_postgresql(database_url: str) -> None:
    result = run_load(
        load_settings({}), database_url=database_url, bodies=60, updates=3, concurrency=20,
        separate_process=False,
    )  # fmt: skip
    check(result)


@pytest.mark.slow
@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL test above covers the full roster")
def test_twenty_five_bodies_check_in_and_post_three_updates_on_sqlite(database_url: str) -> None:
    result = run_load(
        load_settings({}), database_url=database_url, bodies=25, updates=3, concurrency=20,
        separate_process=False,
    )  # fmt: skip
    check(result)
