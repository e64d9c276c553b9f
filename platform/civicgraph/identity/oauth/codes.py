"""Authorization codes in Redis: one minute to live, and used at most once.

A code is stored under its SHA-256 hash; reading it deletes it (GETDEL), so two exchanges of the
same code cannot both succeed, even on two web processes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import redis

from civicgraph.identity.oauth.models import AuthorizationCode

_PREFIX = "civicgraph:oauth:code:"


def _key(code: str) -> str:
    return _PREFIX + hashlib.sha256(code.encode()).hexdigest()


def save(client: redis.Redis[bytes], code: str, data: AuthorizationCode, seconds: int) -> None:
    client.set(_key(code), json.dumps(asdict(data)), ex=seconds)


def take(client: redis.Redis[bytes], code: str) -> AuthorizationCode | None:
    raw = client.getdel(_key(code))
    if raw is None:
        return None
    return AuthorizationCode(**json.loads(raw))
