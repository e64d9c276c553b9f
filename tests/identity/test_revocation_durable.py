"""Revocations survive Redis: a revoked access token (an admin's too), a revoked client and a
refresh-token family revoked by reuse stay refused after a private Redis is restarted with no
persistence, or loses every key. The graph holds the truth; Redis only caches it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask

from civicgraph.cli import devstack
from civicgraph.core.graph import Graph
from civicgraph.identity.oauth.tokens import mark_client_revoked
from civicgraph.identity.service import accounts
from civicgraph.identity.service import clients as oauth_clients
from tests.builders import bearer, create_client, create_public_client, fetch_token, login_with_pkce
from tests.identity.builders import other_app

# An admin write (the partner graph's writes need the admin scope), and a read any token may do.
ADMIN_WRITE = """mutation { registerOrganisation(input: {name: "Durable Oy", kind: EMPLOYER,
  region: "North"}) { organisation { id } } }"""
READ = '{ partnerFeeds(first: 1) { totalCount } }'


class PrivateRedis:
    """A redis-server of this test only, started as `make run` starts it (no persistence)."""

    def __init__(self, base: Path, logs: Path) -> None:
        self.port = devstack.free_port()
        self.base = base
        self.logs = logs
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.service: devstack.Service | None = None

    def start(self) -> None:
        self.service = devstack.redis_service(self.port, self.base, self.logs / "redis-private.log")
        self.service.start()
        devstack.wait_for_redis(self.url, 30, self.service.alive)

    def restart(self) -> None:
        assert self.service is not None
        self.service.stop()
        self.start()

    def flush(self) -> None:
        redis.Redis.from_url(self.url).flushall()

    def stop(self) -> None:
        if self.service is not None:
            self.service.stop()


@pytest.fixture
def private_redis(services: dict[str, Any], tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path / "redis", services["logs"])
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def durable_app(private_redis: PrivateRedis, tmp_path: Path) -> Flask:
    return other_app(tmp_path, redis_url=private_redis.url)


LOSSES: dict[str, Callable[[PrivateRedis], None]] = {
    "restart": PrivateRedis.restart, "loss": PrivateRedis.flush,
}


def status_of(app: Flask, token: str, query: str) -> int:
    response = bearer(app, token).post("/graphql", json={"query": query})
    return response.status_code


@pytest.mark.parametrize("lose", sorted(LOSSES))
def test_a_revoked_admin_token_stays_refused(durable_app: Flask, graph: Graph,
                                             private_redis: PrivateRedis, lose: str) -> None:
    client_id, secret = create_client(graph, ["admin"])
    web = durable_app.test_client()
    revoked = fetch_token(web, client_id, secret)["access_token"]
    kept = fetch_token(web, client_id, secret)["access_token"]
    assert web.post("/oauth/revoke", data={"token": revoked},
                    auth=(client_id, secret)).status_code == 200
    assert status_of(durable_app, revoked, ADMIN_WRITE) == 401

    LOSSES[lose](private_redis)

    assert status_of(durable_app, revoked, ADMIN_WRITE) == 401
    assert status_of(durable_app, revoked, READ) == 401
    introspected = web.post("/oauth/introspect", data={"token": revoked},
                            auth=(client_id, secret)).get_json()
    assert introspected == {"active": False}
    # The other token of the same client was never revoked and still writes.
    response = bearer(durable_app, kept).post("/graphql", json={"query": ADMIN_WRITE})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["registerOrganisation"]["organisation"]["id"]


@pytest.mark.parametrize("lose", sorted(LOSSES))
def test_a_revoked_clients_tokens_stay_refused(durable_app: Flask, graph: Graph,
                                               private_redis: PrivateRedis, lose: str) -> None:
    client_id, secret = create_client(graph, ["admin"])
    token = fetch_token(durable_app.test_client(), client_id, secret)["access_token"]
    oauth_clients.revoke(graph, client_id)
    mark_client_revoked(redis.Redis.from_url(private_redis.url), client_id)
    assert status_of(durable_app, token, ADMIN_WRITE) == 401

    LOSSES[lose](private_redis)

    assert status_of(durable_app, token, ADMIN_WRITE) == 401
    fetch_token(durable_app.test_client(), client_id, secret, status=401)


def refresh(app: Flask, client_id: str, token: str) -> Any:
    return app.test_client().post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": token, "client_id": client_id})


@pytest.mark.parametrize("lose", sorted(LOSSES))
def test_a_family_revoked_by_reuse_stays_revoked(durable_app: Flask, graph: Graph,
                                                 private_redis: PrivateRedis, lose: str) -> None:
    accounts.create(graph, email="d@example.org", name="D", password="a long password",
                    roles=["CITIZEN"])
    console = create_public_client(graph, ["consent:read"])
    first = login_with_pkce(durable_app, console, "d@example.org", "a long password",
                            "consent:read")
    second = refresh(durable_app, console, first["refresh_token"]).get_json()
    assert refresh(durable_app, console, first["refresh_token"]).status_code == 400  # reuse

    LOSSES[lose](private_redis)

    assert refresh(durable_app, console, second["refresh_token"]).status_code == 400
    assert refresh(durable_app, console, first["refresh_token"]).status_code == 400
    # A login after the loss still gets a working family.
    fresh = login_with_pkce(durable_app, console, "d@example.org", "a long password",
                            "consent:read")
    assert refresh(durable_app, console, fresh["refresh_token"]).status_code == 200


def test_the_cache_is_refilled_once_and_kept_small(durable_app: Flask, graph: Graph,
                                                   private_redis: PrivateRedis) -> None:
    """After a loss the first check refills the cache from the graph; later checks use it."""
    client_id, secret = create_client(graph, ["graph:read"])
    web = durable_app.test_client()
    tokens = [fetch_token(web, client_id, secret)["access_token"] for _ in range(3)]
    for token in tokens:
        assert web.post("/oauth/revoke", data={"token": token},
                        auth=(client_id, secret)).status_code == 200
    private_redis.flush()
    assert status_of(durable_app, tokens[0], READ) == 401
    cache = redis.Redis.from_url(private_redis.url)
    assert len(cache.keys("civicgraph:oauth:revoked-jti:*")) == 3
    # Each entry expires a minute after the token would have (15-minute tokens).
    keys = cache.keys("civicgraph:oauth:revoked-jti:*")
    assert all(0 < cache.ttl(key) <= 16 * 60 for key in keys)
