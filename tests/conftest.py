"""The test session starts the real services once: Neo4j (embedded, over Bolt), Redis and, when a
test asks for it, a Celery worker. Tests are isolated by cleaning the graph, never by mocking.

Set NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD) or REDIS_URL to test against servers you run;
the session then starts none of its own for that part. The graph is wiped between tests, so never
point it at a database whose data you want to keep.

Every test that needs a service, directly or through another fixture, is marked ``services`` at
collection, so ``pytest -m "not services"`` (``make test-fast``) runs the pure rules in seconds
and starts nothing: the services start lazily, on the first test that asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.cli import devstack
from civicgraph.core.graph import Graph
from tests.builders import client_with_token

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# The fixtures that start or reach a real service. A folder's conftest may build others on them
# (tests/partner_graph's admin ``client``, tests/console's ``web``): the hook below looks at each
# test's whole fixture closure, so those count too.
SERVICE_FIXTURES = frozenset({
    "services", "graph", "app", "client", "authorised", "admin_client", "worker",
})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``services`` every test whose fixtures (with what they depend on) need a service."""
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.services)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Neo4j and Redis for the whole session; their URLs are exported for every child process."""
    base = tmp_path_factory.mktemp("stack")
    logs = ARTIFACTS / "logs"
    started: list[devstack.Service] = []
    info: dict[str, Any] = {"base": base, "logs": logs}
    with devstack.running(started):
        neo4j_uri = os.environ.get("NEO4J_URI", "").strip()
        if neo4j_uri:
            info["neo4j_embedded"] = False
        else:
            port = devstack.free_port()
            neo4j = devstack.neo4j_service(port, base / "neo4j", logs / "neo4j.log")
            neo4j.start()
            started.append(neo4j)
            neo4j_uri = f"bolt://127.0.0.1:{port}"
            os.environ["NEO4J_URI"] = neo4j_uri
            info["neo4j_embedded"] = True
        redis_url = os.environ.get("REDIS_URL", "").strip()
        if not redis_url:
            redis_port = devstack.free_port()
            redis_server = devstack.redis_service(redis_port, base / "redis", logs / "redis.log")
            redis_server.start()
            started.append(redis_server)
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
            os.environ["REDIS_URL"] = redis_url
        user = os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD", "")
        devstack.wait_for_bolt(neo4j_uri, user, password, 120,
                               started[0].alive if info["neo4j_embedded"] else (lambda: True))
        devstack.wait_for_redis(redis_url, 30)
        info.update(neo4j_uri=neo4j_uri, redis_url=redis_url, services=started)
        graph = Graph.connect(neo4j_uri, user, password, os.environ.get("NEO4J_DATABASE", "neo4j"))
        from graph_schema import Migrator

        Migrator(graph.driver, graph.database).migrate()
        info["graph"] = graph
        yield info
        graph.close()


@pytest.fixture(scope="session")
def graph(services: dict[str, Any]) -> Graph:
    result: Graph = services["graph"]
    return result


@pytest.fixture(autouse=True)
def clean_graph(request: pytest.FixtureRequest) -> None:
    """Wipe everything but the migration records before each test that touches the graph."""
    if "services" not in request.fixturenames and "graph" not in request.fixturenames \
            and "client" not in request.fixturenames and "app" not in request.fixturenames:
        return
    graph: Graph = request.getfixturevalue("graph")
    graph.run(
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:SchemaMigrationLock DETACH DELETE n",
        write=True,
    )


@pytest.fixture(scope="session")
def app(services: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from civicgraph.app import create_app

    # Signing keys in a folder of this session only; the token endpoint's rate limits are out
    # of the way here (tests/auth/test_hardening.py builds an app with low ones).
    flask_app = create_app({
        "debug_cypher": True, "log_json": True, "keys_dir": tmp_path_factory.mktemp("keys"),
        "token_rate_per_ip": 1_000_000, "token_rate_per_client": 1_000_000,
    })
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Anonymous: no Authorization header."""
    return app.test_client()


@pytest.fixture
def authorised(app: Flask, graph: Graph) -> Callable[..., FlaskClient]:
    """Make a client through the service, get a token from the real token endpoint with client
    credentials, and return a test client that sends it on every request."""

    def make(scopes: list[str], organisation_id: str | None = None) -> FlaskClient:
        return client_with_token(app, graph, scopes, organisation_id)

    return make


@pytest.fixture
def admin_client(authorised: Callable[..., FlaskClient]) -> FlaskClient:
    return authorised(["admin"])


@pytest.fixture(scope="session")
def worker(services: dict[str, Any]) -> Iterator[devstack.Service]:
    """A real Celery worker process, started on first use and kept for the session."""
    service = devstack.worker_service(dict(os.environ), services["logs"] / "worker.log",
                                      concurrency=2)
    service.start()
    try:
        from civicgraph.config import load_settings
        from civicgraph.core.queue import create_celery

        celery = create_celery(load_settings())
        devstack.wait_until(lambda: bool(celery.control.ping(timeout=1.0)), 60,
                            "the Celery worker", service.alive)
        yield service
    finally:
        service.stop()
