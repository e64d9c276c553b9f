"""Outages answered 503 with Retry-After and a JSON error, on the real web tier: a Redis of this
test's own that is killed, hung (SIGSTOP) and restarted, and an app whose Neo4j is a closed port.

The session's Neo4j and Redis are never stopped here; other tests keep using them.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from civicgraph.cli import devstack
from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from civicgraph.core.tasks import QueueUnavailable
from civicgraph.lab.service import webhooks
from hackathon_kits import service as kits
from tests.api.conftest import Served, serve
from tests.builders import create_client

READ = {"query": "{ organisations(first: 1) { totalCount } }"}


@dataclass
class PrivateRedis:
    port: int
    url: str
    data: Path
    log: Path
    service: devstack.Service

    def kill(self) -> None:
        self.service.kill()

    def restart(self) -> None:
        self.service = devstack.redis_service(self.port, self.data, self.log)
        self.service.start()
        devstack.wait_for_redis(self.url, 30, self.service.alive)


@pytest.fixture
def private_redis(services: dict[str, Any], tmp_path: Path) -> Iterator[PrivateRedis]:
    port = devstack.free_port()
    log = services["logs"] / f"outage-redis-{port}.log"
    redis = PrivateRedis(port, f"redis://127.0.0.1:{port}/0", tmp_path / "redis", log,
                         devstack.redis_service(port, tmp_path / "redis", log))
    redis.service.start()
    devstack.wait_for_redis(redis.url, 30, redis.service.alive)
    try:
        yield redis
    finally:
        if redis.service.process is not None and redis.service.alive():
            os.killpg(redis.service.process.pid, signal.SIGCONT)
        redis.service.stop()


@pytest.fixture
def on_private_redis(private_redis: PrivateRedis, services: dict[str, Any],
                     tmp_path: Path) -> Iterator[Served]:
    """The web tier on the session's Neo4j and this test's Redis."""
    env = {**os.environ, "REDIS_URL": private_redis.url, "CIVICGRAPH_ENV": "test",
           "CIVICGRAPH_KEYS_DIR": str(tmp_path / "keys")}
    web = serve(env, services["logs"] / "outage-redis-web.log", tmp_path / "metrics", workers=1)
    try:
        yield web
    finally:
        web.service.stop()


def _token(web: Served, graph: Graph) -> str:
    client_id, secret = create_client(graph, ["graph:read"])
    response = requests.post(f"{web.base}/oauth/token", auth=(client_id, secret),
                             data={"grant_type": "client_credentials"}, timeout=30)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def _assert_503(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    body: dict[str, Any] = response.json()
    return body


def _graphql_code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_redis_dead_then_back(on_private_redis: Served, private_redis: PrivateRedis,
                              graph: Graph) -> None:
    web = on_private_redis
    token = _token(web, graph)
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.post(f"{web.base}/graphql", json=READ, headers=auth, timeout=30).ok

    private_redis.kill()
    # The token's revocation check needs Redis: the request cannot be authorised, so 503.
    body = _assert_503(requests.post(f"{web.base}/graphql", json=READ, headers=auth, timeout=30))
    assert _graphql_code(body) == "SERVICE_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["dependency"] == "redis"
    # The token endpoint counts requests in Redis.
    client_id, secret = create_client(graph, ["graph:read"])
    token_answer = _assert_503(requests.post(
        f"{web.base}/oauth/token", auth=(client_id, secret),
        data={"grant_type": "client_credentials"}, timeout=30))
    assert token_answer["error"]["code"] == "SERVICE_UNAVAILABLE"
    # An anonymous read needs only Neo4j and is served through the Redis outage.
    anonymous = requests.post(f"{web.base}/graphql", json=READ, timeout=30)
    assert anonymous.status_code == 200, anonymous.text

    private_redis.restart()
    # Pooled connections that the restart broke are replaced: no request fails after it.
    again = requests.post(f"{web.base}/graphql", json=READ, headers=auth, timeout=30)
    assert again.status_code == 200, again.text
    assert "errors" not in again.json()


def test_redis_hung_is_answered_503_not_held(on_private_redis: Served,
                                             private_redis: PrivateRedis, graph: Graph) -> None:
    web = on_private_redis
    auth = {"Authorization": f"Bearer {_token(web, graph)}"}
    assert private_redis.service.process is not None
    os.killpg(private_redis.service.process.pid, signal.SIGSTOP)
    try:
        body = _assert_503(requests.post(f"{web.base}/graphql", json=READ, headers=auth,
                                         timeout=60))
        assert _graphql_code(body) == "SERVICE_UNAVAILABLE"
    finally:
        os.killpg(private_redis.service.process.pid, signal.SIGCONT)
    assert requests.post(f"{web.base}/graphql", json=READ, headers=auth, timeout=30).ok


def test_an_enqueue_that_fails_leaves_no_queued_build(private_redis: PrivateRedis,
                                                      graph: Graph) -> None:
    settings = load_settings().with_overrides({"redis_url": private_redis.url})
    queue = CeleryTaskQueue(create_celery(settings, interactive=True))
    name = kits.list_kits(graph, settings)[0]["name"]
    private_redis.kill()
    with pytest.raises(QueueUnavailable):
        kits.request_build(graph, queue, settings, name)
    states = [r["state"] for r in graph.run(
        "MATCH (b:KitBuild {kit: $kit}) RETURN b.state AS state", {"kit": name})]
    assert states == ["FAILED"]
    # The lab's prompt to flush its outbox is only a prompt: a committed move is not undone by
    # a queue that is down (the beat delivers the events), so nothing is raised.
    assert webhooks.request_outbox_flush(queue) is None

    private_redis.restart()
    build = kits.request_build(graph, CeleryTaskQueue(create_celery(settings, interactive=True)),
                               settings, name)
    assert build["state"] == "QUEUED"


@pytest.fixture
def without_neo4j(services: dict[str, Any], tmp_path: Path) -> Iterator[Served]:
    """The web tier whose Neo4j is a port nothing listens on (the session's Redis is up)."""
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{devstack.free_port()}",
           "CIVICGRAPH_ENV": "test", "CIVICGRAPH_KEYS_DIR": str(tmp_path / "keys")}
    web = serve(env, services["logs"] / "outage-neo4j-web.log", tmp_path / "metrics", workers=1)
    try:
        yield web
    finally:
        web.service.stop()


def test_neo4j_down_is_503_on_graphql_oauth_kits_and_console(without_neo4j: Served) -> None:
    web = without_neo4j
    body = _assert_503(requests.post(f"{web.base}/graphql", json=READ, timeout=30))
    assert _graphql_code(body) == "SERVICE_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["dependency"] == "neo4j"
    oauth = _assert_503(requests.post(f"{web.base}/oauth/token", auth=("some-client", "secret"),
                                      data={"grant_type": "client_credentials"}, timeout=30))
    assert oauth["error"]["code"] == "SERVICE_UNAVAILABLE"
    for path in ("/kits", "/console"):
        page = _assert_503(requests.get(f"{web.base}{path}", timeout=30))
        assert page["error"]["code"] == "SERVICE_UNAVAILABLE", path
    ready = requests.get(f"{web.base}/readyz", timeout=30)
    assert ready.status_code == 503
    assert requests.get(f"{web.base}/healthz", timeout=30).status_code == 200
