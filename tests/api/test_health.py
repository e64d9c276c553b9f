"""Liveness and readiness against the real services, including a Neo4j that is stopped."""

from __future__ import annotations

import platform
from typing import Any

import pytest
from flask.testing import FlaskClient

from civicgraph.app import create_app
from civicgraph.cli import devstack


def test_healthz_reports_the_process(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["system"] == platform.system()
    assert response.headers["X-Request-ID"]


def test_request_id_is_echoed_when_given(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


def test_readyz_is_ready_when_everything_answers(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"] == {"neo4j": "ok", "migrations": "ok", "redis": "ok"}


def test_readyz_names_redis_when_it_does_not_answer(services: dict[str, Any]) -> None:
    app = create_app({"redis_url": f"redis://127.0.0.1:{devstack.free_port()}/0"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["neo4j"] == "ok"
    assert checks["redis"].startswith("unreachable")


def test_unknown_path_is_json_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "NOT_FOUND"


def test_store_survives_restart_and_readyz_names_neo4j_while_stopped(
    services: dict[str, Any], tmp_path: Any
) -> None:
    """A second embedded Neo4j: write, stop it (SIGTERM), see 503, start it again, data kept."""
    from neo4j import GraphDatabase

    if not services["neo4j_embedded"]:
        pytest.skip("NEO4J_URI points at a server this test cannot stop")
    port = devstack.free_port()
    uri = f"bolt://127.0.0.1:{port}"
    home = tmp_path / "neo4j"
    neo4j = devstack.neo4j_service(port, home, services["logs"] / "neo4j-restart.log")
    with devstack.running([neo4j]):
        neo4j.start()
        devstack.wait_for_bolt(uri, "neo4j", "", 120, neo4j.alive)
        with GraphDatabase.driver(uri) as driver:
            driver.execute_query("CREATE (:Organisation {id: 'kept', name: 'Kept'})")
        app = create_app({"neo4j_uri": uri})
        neo4j.stop()

        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        checks = response.get_json()["checks"]
        assert checks["neo4j"].startswith("unreachable")
        assert checks["redis"] == "ok"

        neo4j.start()
        devstack.wait_for_bolt(uri, "neo4j", "", 120, neo4j.alive)
        with GraphDatabase.driver(uri) as driver:
            records, _, _ = driver.execute_query("MATCH (o:Organisation) RETURN o.name AS name")
        assert [r["name"] for r in records] == ["Kept"]
