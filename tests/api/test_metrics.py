"""``/metrics`` on the served tier moves after real requests, summed over gunicorn's two workers
and a Celery worker writing into the same multi-process folder."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from civicgraph.cli import devstack
from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from civicgraph.workers.tasks import DIAGNOSTICS
from hackathon_kits import service as kits
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR
from tests.api.conftest import Served
from tests.builders import create_client, wait_for
from tests.partners.feed_server import posting

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(web: Served) -> Samples:
    response = requests.get(f"{web.base}/metrics", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sum over the samples of ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


def test_requests_cypher_and_tokens_are_counted(served: Served, graph: Graph) -> None:
    before = scrape(served)
    query = {"query": "query EdgeMetricsProbe { organisations(first: 1) { totalCount } }",
             "operationName": "EdgeMetricsProbe"}
    for _ in range(6):  # enough that both gunicorn workers very likely answer some
        assert requests.post(f"{served.base}/graphql", json=query, timeout=30).ok
    client_id, secret = create_client(graph, ["graph:read"])
    form = {"grant_type": "client_credentials"}
    assert requests.post(f"{served.base}/oauth/token", data=form, auth=(client_id, secret),
                         timeout=30).ok
    refused = requests.post(f"{served.base}/oauth/token", data=form, auth=(client_id, "wrong"),
                            timeout=30)
    assert refused.status_code == 401
    bad_bearer = requests.post(f"{served.base}/graphql", json=query, timeout=30,
                               headers={"Authorization": "Bearer not-a-token"})
    assert bad_bearer.status_code == 401
    too_large = requests.post(f"{served.base}/graphql", data=b"[" + b" " * 2_000_000 + b"]",
                              headers={"Content-Type": "application/json"}, timeout=30)
    assert too_large.status_code == 413
    after = scrape(served)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    probe = {"route": "/graphql", "method": "POST", "operation": "EdgeMetricsProbe"}
    assert moved("civicgraph_http_requests_total", status="200", **probe) == 6
    assert moved("civicgraph_http_requests_total", status="401", **probe) == 1
    assert moved("civicgraph_http_request_duration_seconds_count", **probe) == 7
    assert moved("civicgraph_http_request_duration_seconds_bucket", le="+Inf", **probe) == 7
    assert moved("civicgraph_cypher_statement_duration_seconds_count", access="read") >= 6
    assert moved("civicgraph_oauth_tokens_issued_total", grant_type="client_credentials") == 1
    assert moved("civicgraph_oauth_token_refusals_total", endpoint="token",
                 reason="invalid_client") == 1
    assert moved("civicgraph_oauth_token_refusals_total", endpoint="api",
                 reason="invalid_token") == 1
    # Refused by the body guard before any view: counted under a route of its own.
    assert moved("civicgraph_http_requests_total", route="<request body>", status="413") == 1
    # A path with an id is counted under its route's template, not as a series of its own.
    requests.get(f"{served.base}/kits/no-such-kit/releases/1/download", timeout=30)
    templates = {dict(labels)["route"] for (name, labels) in scrape(served)
                 if name == "civicgraph_http_requests_total"}
    assert "/kits/<name>/releases/<int(max=9223372036854775807):version>/download" in templates
    assert not any("no-such-kit" in route for route in templates)


def test_operation_names_cannot_grow_the_series(served: Served) -> None:
    query = {"query": "{ __typename }", "operationName": "x y {}"}
    requests.post(f"{served.base}/graphql", json=query, timeout=30)
    operations = {dict(labels)["operation"] for (name, labels) in scrape(served)
                  if name == "civicgraph_http_requests_total"}
    assert "x y {}" not in operations
    assert "other" in operations


@pytest.fixture
def metrics_worker(served: Served, services: dict[str, Any]) -> Iterator[str]:
    """A Celery worker on a queue of its own, writing metrics into the served tier's folder."""
    queue = f"metrics-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(served.metrics_dir)}
    worker = devstack.worker_service(env, services["logs"] / "metrics-worker.log",
                                     concurrency=1, queues=queue, name=f"{queue}@%h")
    worker.start()
    try:
        yield queue
    finally:
        worker.stop()


def test_task_outcomes_and_kit_build_durations(served: Served, graph: Graph,
                                               metrics_worker: str) -> None:
    settings = load_settings()
    queue = CeleryTaskQueue(create_celery(settings), queue=metrics_worker)
    before = scrape(served)
    queue.enqueue(DIAGNOSTICS)
    kit = kits.list_kits(graph, settings)[0]["name"]
    build = kits.request_build(graph, queue, settings, kit)

    def finished() -> bool:
        return kits.get_build(graph, build["id"])["state"] not in {"QUEUED", "RUNNING"}

    wait_for(finished, timeout=240)
    state = kits.get_build(graph, build["id"])["state"]

    def counted() -> bool:
        after = scrape(served)
        return (value(after, "civicgraph_task_runs_total", task=DIAGNOSTICS, outcome="success")
                > value(before, "civicgraph_task_runs_total", task=DIAGNOSTICS,
                        outcome="success")
                and value(after, "civicgraph_kit_build_duration_seconds_count", kit=kit,
                          state=state) == value(before,
                                                "civicgraph_kit_build_duration_seconds_count",
                                                kit=kit, state=state) + 1)

    wait_for(counted, timeout=60)
    after = scrape(served)
    assert value(after, "civicgraph_task_duration_seconds_count", task=DIAGNOSTICS) >= 1


def test_a_worker_sync_run_is_counted_with_its_records_and_quarantines(
        served: Served, graph: Graph, metrics_worker: str, tmp_path: Path) -> None:
    """A real file-drop sync on the worker: its records by outcome, its quarantined record and
    its run's duration appear on the served tier's /metrics once the run has ended."""
    records = [posting(n) for n in range(4)]
    records.append({**posting(9), "identifier": "K" * 5_000})  # a key over the limit
    feed = tmp_path / "metrics-jobs.json"
    feed.write_text(json.dumps(records))
    name = f"metrics-board-{uuid.uuid4().hex[:6]}"
    platform = partner_platforms.register(
        graph, name=name, kind="JOB_BOARD", connector="schemaorg-jobposting", transport="FILE",
        location=str(feed), schedule_seconds=0)
    partner_platforms.promote(graph, platform["id"], OPERATOR)
    queue = CeleryTaskQueue(create_celery(load_settings()), queue=metrics_worker)
    before = scrape(served)
    run = partner_sync.request_sync(graph, queue, name)
    wait_for(lambda: partner_sync.get_run(graph, run["id"])["status"]
             not in {"QUEUED", "RUNNING"}, timeout=120)
    finished = partner_sync.get_run(graph, run["id"])
    assert (finished["status"], finished["created"], finished["quarantined"]) == (
        "SUCCEEDED", 4, 1)
    wait_for(lambda: value(scrape(served), "civicgraph_sync_run_duration_seconds_count",
                           platform=name, status="SUCCEEDED") == 1, timeout=60)
    after = scrape(served)
    assert value(before, "civicgraph_sync_records_total", platform=name) == 0
    assert value(after, "civicgraph_sync_records_total", platform=name, outcome="created") == 4
    assert value(after, "civicgraph_sync_records_total", platform=name,
                 outcome="quarantined") == 1
    assert value(after, "civicgraph_sync_quarantined_total", platform=name) == 1
