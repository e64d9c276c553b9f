"""A fixed-window request limit in Redis, shared by every web process."""

from __future__ import annotations

import time

import redis


class RateLimited(Exception):
    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(f"too many requests for this {what}")
        self.retry_after = retry_after
        self.what = what


def hit(client: redis.Redis[bytes], name: str, limit: int, window: int) -> None:
    """Count one request against ``name``; raise RateLimited past ``limit`` in the window."""
    slot = int(time.time() // window)
    key = f"civicgraph:ratelimit:{name}:{slot}"
    pipe = client.pipeline()
    pipe.incr(key)
    pipe.expire(key, window + 1)
    count, _ = pipe.execute()
    if int(count) > limit:
        retry_after = max(1, window - int(time.time()) % window)
        raise RateLimited(retry_after, name.split(":", 1)[0])
