"""A fixed-window request limit in Redis, shared by every web process.

The window opens at the first request of a key (SET NX with the window as expiry) rather than on
clock boundaries, so a burst cannot straddle two windows to get twice the limit through.
"""

from __future__ import annotations

import redis


class RateLimited(Exception):
    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(f"too many requests for this {what}")
        self.retry_after = retry_after
        self.what = what


def hit(client: redis.Redis[bytes], name: str, limit: int, window: int) -> None:
    """Count one request against ``name``; raise RateLimited past ``limit`` in the window."""
    key = f"civicgraph:ratelimit:{name}"
    pipe = client.pipeline()
    pipe.set(key, 0, ex=window, nx=True)
    pipe.incr(key)
    pipe.ttl(key)
    _, count, ttl = pipe.execute()
    if int(count) > limit:
        raise RateLimited(max(1, int(ttl)), name.split(":", 1)[0])
