"""What must never publish: a writing query, a k-anonymity failure, a killed worker; and races."""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask.testing import FlaskClient

from civicgraph.cli import devstack
from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from hackathon_kits import service as kits
from tests.builders import gql, wait_for
from tests.hackathon_kits import builders as factories
from tests.hackathon_kits.builders import (
    BUILD,
    build,
    build_status,
    start_build,
    wait_finished,
)
from tests.hackathon_kits.conftest import KIT_STORE

pytestmark = pytest.mark.worker


def _releases(graph: Graph, kit: str) -> list[dict[str, Any]]:
    return [dict(r) for r in graph.run(
        "MATCH (r:KitRelease {kit: $kit}) RETURN r.number AS number, r.sha256 AS sha256",
        {"kit": kit})]


def _published_files(kit: str) -> list[str]:
    folder = KIT_STORE / kit
    return sorted(p.name for p in folder.glob("*.zip")) if folder.exists() else []


def test_a_query_that_writes_is_refused_before_it_runs(client: FlaskClient, graph: Graph) -> None:
    factories.vacancies(graph, {("North", "Nurse", "2025-01"): 12})
    body = gql(client, BUILD, {"name": "test-writer"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'rw'" in body["errors"][0]["message"] or "'w'" in body["errors"][0]["message"]
    touched = graph.run("MATCH (v:Vacancy) WHERE v.touched RETURN count(v) AS n")
    assert touched[0]["n"] == 0
    assert graph.run("MATCH (b:KitBuild) RETURN count(b) AS n")[0]["n"] == 0


def test_k_anonymity_failure_refuses_the_release(
    client: FlaskClient, graph: Graph, worker: devstack.Service
) -> None:
    factories.participants(graph, {("North", "18-24"): 6, ("Metro", "65+"): 2})
    status = wait_finished(client, start_build(client, "test-participants"))
    assert status["state"] == "REFUSED"
    assert "5-anonymity" in status["error"] and "region, age_band" in status["error"]
    assert _releases(graph, "test-participants") == []
    assert _published_files("test-participants") == []

    factories.participants(graph, {("Metro", "65+"): 3})  # now every class has 5 or more
    assert build(client, "test-participants")["releaseNumber"] == 1


def test_same_spec_and_data_give_the_same_bytes_and_one_release(
    client: FlaskClient, graph: Graph, worker: devstack.Service
) -> None:
    factories.vacancies(graph, {("North", "Nurse", "2025-01"): 12,
                                ("Metro", "Nurse", "2025-01"): 4})
    first = build(client, "test-vacancies")
    second = build(client, "test-vacancies")
    assert first["releaseNumber"] == second["releaseNumber"] == 1
    assert second["unchanged"] is True
    assert len(_releases(graph, "test-vacancies")) == 1

    factories.vacancies(graph, {("Metro", "Nurse", "2025-02"): 20})
    third = build(client, "test-vacancies")
    assert third["releaseNumber"] == 2 and third["unchanged"] is False
    shas = {r["sha256"] for r in _releases(graph, "test-vacancies")}
    assert len(shas) == 2 and set(_published_files("test-vacancies")) >= {f"{s}.zip" for s in shas}


def test_a_failing_build_publishes_nothing_and_says_why(
    client: FlaskClient, graph: Graph, worker: devstack.Service
) -> None:
    factories.vacancies(graph, {("North", "Nurse", "2025-01"): 3})
    status = wait_finished(client, start_build(client, "test-unsorted"))
    assert status["state"] == "FAILED"
    assert "sorted and unique by ['id']" in status["error"]
    assert _releases(graph, "test-unsorted") == []
    assert _published_files("test-unsorted") == []
    leftovers = KIT_STORE / ".tmp" / "test-unsorted"
    assert not leftovers.exists() or not any(leftovers.iterdir())


def test_two_builds_at_once_publish_one_release(
    client: FlaskClient, graph: Graph, worker: devstack.Service
) -> None:
    factories.vacancies(graph, {("North", "Nurse", "2025-01"): 15})
    ids = [start_build(client, "test-vacancies"), start_build(client, "test-vacancies")]
    outcomes = [wait_finished(client, i) for i in ids]
    assert {o["state"] for o in outcomes} <= {"SUCCEEDED", "SKIPPED"}
    assert "SUCCEEDED" in {o["state"] for o in outcomes}
    assert len(_releases(graph, "test-vacancies")) == 1


def _queue_for(queue: str) -> CeleryTaskQueue:
    """The real Celery client on one named queue, so only the test's own worker gets it."""
    return CeleryTaskQueue(create_celery(load_settings()), queue)


def test_a_killed_worker_publishes_nothing_and_a_retry_succeeds(
    client: FlaskClient, admin_client: FlaskClient, graph: Graph, services: dict[str, Any],
    worker: devstack.Service
) -> None:
    # 6 000 rows in batches of 500 with a 0.5 s pause after each (test-only spec option).
    factories.many_records(graph, 6_000)
    env = {**os.environ, "CIVICGRAPH_KIT_BUILD_LEASE": "3"}
    victim = devstack.worker_service(env, services["logs"] / "kill-worker.log", concurrency=1)
    victim.argv += ["-Q", "kits-kill-test"]
    victim.start()
    try:
        settings = load_settings()
        started = kits.request_build(graph, _queue_for("kits-kill-test"), settings,
                                     "test-slow-records")

        def streaming() -> dict[str, Any] | None:
            # Nobody is named as its requester (started by the service): an admin reads it.
            status = build_status(admin_client, started["id"])
            return status if status["state"] == "RUNNING" and status["percent"] >= 20 else None

        running = wait_for(streaming, timeout=90, interval=0.2)
        assert 0 < running["percent"] < 100 and running["stage"] == "STREAMING"
        victim.kill()
    finally:
        victim.stop()

    assert _releases(graph, "test-slow-records") == []
    assert _published_files("test-slow-records") == []
    lost = wait_finished(admin_client, started["id"], timeout=20)
    assert lost["state"] == "LOST" and lost["stage"] == "LOST"

    retry = build(client, "test-slow-records")
    assert retry["releaseNumber"] == 1
    assert len(_published_files("test-slow-records")) == 1
    leftovers = KIT_STORE / ".tmp" / "test-slow-records"
    assert not leftovers.exists() or not any(leftovers.iterdir())
