"""Background work through GraphQL, run by a real Celery worker over the real Redis broker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from civicgraph.cli.devstack import Service
from civicgraph.config import load_settings
from civicgraph.core.queue import create_celery
from civicgraph.workers.tasks import DIAGNOSTICS
from tests.builders import gql, wait_for
from tests.partner_graph.test_organisations import LINK, register

TASK = "query Task($id: ID!) { task(id: $id) { id state result error } }"

pytestmark = pytest.mark.worker


def test_recompute_partner_counts_runs_on_the_worker(
    admin_client: FlaskClient, worker: Service
) -> None:
    client = admin_client
    hub = register(client, "Hub Agency")
    spokes = [register(client, f"Spoke {i}", "START_UP") for i in range(3)]
    for spoke in spokes:
        gql(client, LINK, {"a": hub["id"], "b": spoke["id"]})

    started = gql(client, "mutation { recomputePartnerCounts { task { id state } } }")
    task_id = started["data"]["recomputePartnerCounts"]["task"]["id"]
    # A fast worker may already have picked it up by the time the mutation answers.
    assert started["data"]["recomputePartnerCounts"]["task"]["state"] in {"PENDING", "STARTED"}

    def finished() -> dict[str, Any] | None:
        run: dict[str, Any] = gql(client, TASK, {"id": task_id})["data"]["task"]
        return run if run["state"] in {"SUCCESS", "FAILURE"} else None

    run = wait_for(finished, timeout=60)
    assert run["state"] == "SUCCESS", run
    assert run["result"] == {"organisationsUpdated": 4}

    body = gql(client, "{ organisations { edges { node { name partnerCount } } } }")
    counts = {e["node"]["name"]: e["node"]["partnerCount"]
              for e in body["data"]["organisations"]["edges"]}
    assert counts == {"Hub Agency": 3, "Spoke 0": 1, "Spoke 1": 1, "Spoke 2": 1}


def test_unknown_task_id_reads_as_pending(authorised: Callable[..., FlaskClient]) -> None:
    client = authorised(["graph:read"])
    run = gql(client, TASK, {"id": "no-such-task"})["data"]["task"]
    assert run == {"id": "no-such-task", "state": "PENDING", "result": None, "error": None}


def test_worker_sees_the_standard_library_platform_module(worker: Service) -> None:
    """The worker imports civicgraph from the folder named platform/ and still has stdlib's."""
    import platform

    celery = create_celery(load_settings())
    report = celery.send_task(DIAGNOSTICS).get(timeout=60)
    assert report["system"] == platform.system()
    assert report["pid"] != __import__("os").getpid()
