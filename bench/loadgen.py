"""The load generator: fires signed requests all at once and times each one to its answer.

It runs in its own process (see `Generator`) so the app under test does not share a CPU lock
with 200 client threads; it needs only the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

Request = tuple[str, str]  # body, content type
Timing = tuple[int, float]  # HTTP status, seconds to the answer


def _headers(secret: str, body: str, content_type: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def _send(url: str, secret: str, request: Request, start: threading.Barrier) -> Timing:
    parts = urlsplit(url)
    body, content_type = request
    headers = _headers(secret, body, content_type)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    start.wait()
    began = time.perf_counter()
    try:
        connection.request("POST", parts.path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - began


def burst(url: str, secret: str, requests: list[Request]) -> list[Timing]:
    """Send every request at the same moment (one thread each); their statuses and times."""
    start = threading.Barrier(len(requests))
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(_send, url, secret, r, start) for r in requests]
        return [f.result() for f in futures]


class Generator:
    """A separate process that runs bursts on request."""

    def __init__(self) -> None:
        self._pool: Any = multiprocessing.get_context("spawn").Pool(1)

    def burst(self, url: str, secret: str, requests: list[Request]) -> list[Timing]:
        """Run a burst in the generator process."""
        result: list[Timing] = self._pool.apply(burst, (url, secret, requests))
        return result

    def close(self) -> None:
        """Stop the process."""
        self._pool.close()
        self._pool.join()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.99 is p99)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]
