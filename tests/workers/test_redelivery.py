"""A task is acknowledged when it ends: a worker killed with SIGKILL in the middle of a kit build
leaves the task unacknowledged in Redis, and a worker started afterwards takes it again after
the visibility timeout (5 s here) and publishes the release; nobody triggers it again.

The workers here are the test's own, on a queue of their own, with the short visibility timeout
and kit lease in their environment."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from civicgraph.cli import devstack
from civicgraph.config import PROJECT_ROOT, load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from hackathon_kits import service as kits
from tests.builders import wait_for
from tests.hackathon_kits.builders import many_records

pytestmark = pytest.mark.worker

SPECS = [PROJECT_ROOT / "hackathon_kits" / "specs", PROJECT_ROOT / "tests" / "hackathon_kits" /
         "specs"]
KIT = "test-slow-records"  # 500-row batches with a 0.5 s pause after each


def test_a_build_whose_worker_was_killed_is_finished_by_the_next_worker(
        graph: Graph, services: dict[str, Any], tmp_path: Path) -> None:
    many_records(graph, 6_000)
    store = tmp_path / "kits"
    env = {**os.environ, "CIVICGRAPH_KIT_SPECS": os.pathsep.join(map(str, SPECS)),
           "CIVICGRAPH_KIT_STORE": str(store), "CIVICGRAPH_KIT_BUILD_LEASE": "2",
           "CIVICGRAPH_TASK_VISIBILITY_SECONDS": "5"}
    settings = load_settings().with_overrides({"kit_specs": tuple(SPECS), "kit_store": store,
                                               "kit_build_lease": 2})
    queue = f"redelivery-{uuid.uuid4().hex[:8]}"

    def worker(name: str) -> devstack.Service:
        service = devstack.worker_service(env, services["logs"] / f"{name}.log", concurrency=1,
                                          queues=queue, name=f"{name}-{queue}@%h")
        service.start()
        return service

    victim = worker("redelivery-victim")
    try:
        started = kits.request_build(graph, CeleryTaskQueue(create_celery(settings), queue),
                                     settings, KIT)

        def streaming() -> dict[str, Any] | None:
            build = kits.get_build(graph, started["id"])
            return build if build["state"] == "RUNNING" and build["percent"] >= 20 else None

        wait_for(streaming, timeout=120, interval=0.2)
        victim.kill()
    finally:
        victim.stop()
    assert kits.get_build(graph, started["id"])["state"] in ("RUNNING", "LOST")
    assert not list(store.glob(f"{KIT}/*.zip"))

    successor = worker("redelivery-successor")
    try:
        def finished() -> dict[str, Any] | None:
            build = kits.get_build(graph, started["id"])
            return build if build["state"] not in ("QUEUED", "RUNNING", "LOST") else None

        done = wait_for(finished, timeout=180, interval=0.5)
    finally:
        successor.stop()
    assert done["state"] == "SUCCEEDED", done
    assert done["releaseNumber"] == 1
    releases = graph.run("MATCH (r:KitRelease {kit: $kit}) RETURN r.sha256 AS sha256",
                         {"kit": KIT})
    assert len(releases) == 1
    assert [p.name for p in store.glob(f"{KIT}/*.zip")] == [f"{releases[0]['sha256']}.zip"]
