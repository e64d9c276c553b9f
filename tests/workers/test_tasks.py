"""Background work through GraphQL, run by a real Celery worker over the real Redis broker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from civicgraph.cli.devstack import Service
from civicgraph.config import load_settings
from civicgraph.core.queue import create_celery
from civicgraph.workers.tasks import DIAGNOSTICS
from tests.builders import gql, wait_for

REGISTER = """mutation R($input: RegisterPartnerPlatformInput!) {
  registerPartnerPlatform(input: $input) { platform { id } } }"""
SYNC = "mutation S($p: String!) { syncPartnerFeed(input: {platform: $p}) { run { id status } } }"
RUN = "query Q($id: ID!) { syncRun(id: $id) { status seen created error } }"
SOURCES = "query S($id: ID!) { sources(recordId: $id) { platform { id name } mode key } }"
DEMO = Path(__file__).resolve().parents[2] / "partners" / "data" / "demo"

pytestmark = pytest.mark.worker


def test_an_admins_feed_sync_runs_on_the_worker(
    admin_client: FlaskClient, worker: Service
) -> None:
    """An admin registers a file feed and asks for a sync; the worker reads the file and the
    run, its records and their provenance are read back through GraphQL."""
    client = admin_client
    registered = gql(client, REGISTER, {"input": {
        "name": "worker-jobs", "kind": "JOB_BOARD", "connector": "schemaorg-jobposting",
        "transport": "FILE", "location": str(DEMO / "jobs.jsonld"), "scheduleSeconds": 0}})
    assert "errors" not in registered, registered
    platform = registered["data"]["registerPartnerPlatform"]["platform"]

    started = gql(client, SYNC, {"p": "worker-jobs"})["data"]["syncPartnerFeed"]["run"]
    assert started["status"] == "QUEUED"

    def finished() -> dict[str, Any] | None:
        run: dict[str, Any] = gql(client, RUN, {"id": started["id"]})["data"]["syncRun"]
        return run if run["status"] in {"SUCCEEDED", "PARTIAL", "FAILED"} else None

    run = wait_for(finished, timeout=90)
    assert (run["status"], run["seen"], run["created"]) == ("SUCCEEDED", 6, 6), run

    body = gql(client, """{ vacancies(where: {title: {eq: "Junior Python Developer"}}) {
      nodes { id } } }""")
    [vacancy] = body["data"]["vacancies"]["nodes"]
    sources = gql(client, SOURCES, {"id": vacancy["id"]})["data"]["sources"]
    assert sources == [{"platform": {"id": platform["id"], "name": "worker-jobs"},
                        "mode": "TEST", "key": "DJB-0001"}]


def test_worker_sees_the_standard_library_platform_module(worker: Service) -> None:
    """The worker imports civicgraph from the folder named platform/ and still has stdlib's."""
    import platform

    celery = create_celery(load_settings())
    report = celery.send_task(DIAGNOSTICS).get(timeout=60)
    assert report["system"] == platform.system()
    assert report["pid"] != __import__("os").getpid()
