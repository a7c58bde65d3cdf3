"""The load generator: fires signed requests all at once and times each one to its answer.

It runs in its own process (see `Generator`) so the app under test does not share a CPU lock
with it, and in one thread with asyncio: every connection is opened first, then every request is
written at once and each is timed from its write to the end of its answer. (A thread per request
made the client itself queue for its interpreter lock, and that queueing was timed too.) Requests
are signed with slack_sdk's SignatureVerifier, as the tests and the demo sign theirs.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.signature import SignatureVerifier

Request = tuple[str, str]  # body, content type
Timing = tuple[int, float]  # HTTP status, seconds to the answer
Stamped = tuple[int, float, float]  # ... and when it was sent (seconds since the epoch)


def _headers(secret: str, body: str, content_type: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


def _raw(host: str, path: str, secret: str, request: Request) -> bytes:
    body, content_type = request
    data = body.encode()
    headers = {"Host": host, **_headers(secret, body, content_type)}
    headers.update({"Content-Length": str(len(data)), "Connection": "close"})
    lines = [f"POST {path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP response to its end; its status."""
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _one(host: str, port: int, raw: bytes, go: asyncio.Event, ready: list[int]) -> Stamped:
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        ready.append(1)
        await go.wait()
        return 0, 0.0, time.time()
    ready.append(1)
    await go.wait()
    sent_at, began = time.time(), time.perf_counter()
    try:
        writer.write(raw)
        status = await asyncio.wait_for(_answer(reader), timeout=30)
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError):
        status = 0
    elapsed = time.perf_counter() - began
    writer.close()
    return status, elapsed, sent_at


async def _burst(url: str, secret: str, requests: list[Request]) -> list[Stamped]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    raws = [_raw(f"{host}:{port}", parts.path, secret, r) for r in requests]
    go, ready = asyncio.Event(), list[int]()
    tasks = [asyncio.create_task(_one(host, port, raw, go, ready)) for raw in raws]
    while len(ready) < len(tasks):  # every connection open before the first request is written
        await asyncio.sleep(0.001)
    go.set()
    return list(await asyncio.gather(*tasks))


def burst(url: str, secret: str, requests: list[Request]) -> list[Timing]:
    """Send every request at the same moment; their statuses and times, in order."""
    return [(status, seconds) for status, seconds, _ in burst_stamped(url, secret, requests)]


def burst_stamped(url: str, secret: str, requests: list[Request]) -> list[Stamped]:
    """`burst`, each answer also with the wall-clock moment its request was written."""
    return asyncio.run(_burst(url, secret, requests))


class Generator:
    """A separate process that runs bursts on request."""

    def __init__(self) -> None:
        self._pool: Any = multiprocessing.get_context("spawn").Pool(1)

    def burst(self, url: str, secret: str, requests: list[Request]) -> list[Timing]:
        """Run a burst in the generator process."""
        result: list[Timing] = self._pool.apply(burst, (url, secret, requests))
        return result

    def burst_stamped(self, url: str, secret: str, requests: list[Request]) -> list[Stamped]:
        """Run a burst in the generator process; answers with the moments they were sent."""
        result: list[Stamped] = self._pool.apply(burst_stamped, (url, secret, requests))
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
