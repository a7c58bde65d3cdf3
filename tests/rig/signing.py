"""Signing requests the way Slack does, with slack_sdk's own SignatureVerifier."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier


def signed_headers(
    secret: str, body: str, *, content_type: str, timestamp: int | None = None
) -> dict[str, str]:
    """Headers of a correctly signed request (timestamp defaults to now, as Slack's is)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }
