"""A push whose request died leaves no feed wedged (issue 14, "Why" point 3; the soak's push
after its Neo4j restart answered 409 "already being written").

A push opens its run (QUEUED), claims it (RUNNING) and writes its batches inside one web request.
A request cut off between those steps (its web worker killed, the database restarted under it)
left the run open with nobody to close it: every later push was refused for ten minutes, and a
RUNNING push run stayed RUNNING for ever, since beat's resume refuses WEBHOOK platforms. Here the
run is left by exactly the calls the push makes, and its silence is its heartbeat set back in the
graph (time passing, not a double of anything).
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from partners.cypher import runs as run_statements
from partners.service import sync as partner_sync
from tests.partners.feed_server import posting
from tests.partners.test_feed_faults import pusher


def _left_by_a_dead_push(graph: Graph, platform: str, claimed: bool,
                         silent_for: dt.timedelta) -> str:
    run, start = partner_sync.open_run(graph, platform, trigger="PUSH")
    assert start
    if claimed:
        assert run_statements.claim_run(graph, run["id"], run["lease"],
                                         dt.datetime.now(dt.UTC)) is not None
    graph.run("MATCH (r:SyncRun {id: $id}) SET r.heartbeatAt = r.heartbeatAt - $silent",
              {"id": run["id"], "silent": silent_for}, write=True)
    return str(run["id"])


def _status(graph: Graph, run_id: str) -> tuple[str, str | None]:
    run = partner_sync.get_run(graph, run_id)
    return run["status"], run["error"]


@pytest.mark.parametrize("claimed", [False, True], ids=["left-QUEUED", "left-RUNNING"])
def test_the_next_push_ends_a_dead_push_run_and_is_accepted(app: Flask, graph: Graph,
                                                              claimed: bool) -> None:
    name = f"dead-push-board-{'running' if claimed else 'queued'}"
    client = pusher(app, graph, name)
    dead = _left_by_a_dead_push(graph, name, claimed, silent_for=dt.timedelta(minutes=2))

    answer = client.post(f"/partners/{name}/records", json=[posting(1)])
    assert answer.status_code == 201, answer.get_data(as_text=True)
    run = answer.get_json()["run"]
    assert (run["status"], run["created"]) == ("SUCCEEDED", 1) and run["id"] != dead
    status, error = _status(graph, dead)
    assert status == "FAILED"
    assert error is not None and "ended without closing it" in error
    assert [r["status"] for r in partner_sync.list_runs(graph, name, 10)
            if r["status"] in ("QUEUED", "RUNNING")] == []


def test_a_push_still_writing_is_not_taken_over(app: Flask, graph: Graph) -> None:
    """The other side of the rule: a push heard from a moment ago is alive; a second push of the
    same feed is refused while it writes, and the live run is left alone."""
    client = pusher(app, graph, "busy-push-board")
    live = _left_by_a_dead_push(graph, "busy-push-board", True, silent_for=dt.timedelta(0))
    answer = client.post("/partners/busy-push-board/records", json=[posting(1)])
    assert answer.status_code == 409, answer.get_data(as_text=True)
    assert "already being written" in answer.get_data(as_text=True)
    assert _status(graph, live) == ("RUNNING", None)


def test_beat_ends_a_dead_push_run_of_a_feed_nobody_pushes_to_again(app: Flask,
                                                                   graph: Graph) -> None:
    pusher(app, graph, "abandoned-push-board")
    dead = _left_by_a_dead_push(graph, "abandoned-push-board", True,
                                silent_for=partner_sync.RESUME_AFTER * 2)
    queue = CeleryTaskQueue(create_celery(load_settings(), interactive=True))
    assert partner_sync.sync_due(graph, queue) == []  # nothing to fetch for a WEBHOOK feed
    status, error = _status(graph, dead)
    assert status == "FAILED"
    assert error is not None and "ended without closing it" in error


def test_a_taken_over_run_cannot_be_closed_by_its_old_lease(app: Flask, graph: Graph) -> None:
    """finish_run fences on the lease: the request that was presumed dead, if it wakes up,
    closes nothing (its WHERE used to filter only the platform, so it closed the run anyway)."""
    pusher(app, graph, "fenced-push-board")
    run, _ = partner_sync.open_run(graph, "fenced-push-board", trigger="PUSH")
    assert run_statements.claim_run(graph, run["id"], run["lease"],
                                     dt.datetime.now(dt.UTC)) is not None
    now = dt.datetime.now(dt.UTC)
    taken = run_statements.take_over_stale(graph, run["platformId"], now,
                                            now + dt.timedelta(seconds=1))
    assert taken is not None and taken["lease"] == run["lease"] + 1
    closed = run_statements.finish_run(graph, run["id"], {
        "status": "SUCCEEDED", "now": now, "lease": run["lease"], "withdrawn": 0,
        "error": None})
    assert closed is None
    assert _status(graph, run["id"]) == ("RUNNING", None)
