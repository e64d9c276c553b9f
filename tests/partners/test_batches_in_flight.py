"""Two batches of one run in flight at once (issue 18): each commits only in its turn, so a
failure in one never lets the cursor pass it, and the resumed run neither loses nor duplicates
a record."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from civicgraph.core.graph import Graph
from partners.cypher import runs as run_repo
from partners.cypher import sync as repo
from partners.service import sync as partner_sync
from tests.partners.feed_server import posting
from tests.partners.test_file_sync import register

RECORDS = 40
STEP = 5  # records per batch: eight batches, so several run two at a time


class WorkerKilled(BaseException):
    """The worker process dying mid-write (not an error the run could record)."""


def synced(graph: Graph, platform_id: str) -> list[tuple[str, int]]:
    rows = graph.run(
        "MATCH (v:Vacancy) WHERE v.syncKey STARTS WITH $prefix "
        "RETURN v.syncKey AS key, COUNT { (v)-[:SOURCED_FROM]->() } AS sources ORDER BY key",
        {"prefix": platform_id + ":"})
    return [(r["key"], r["sources"]) for r in rows]


def test_a_batch_failing_while_the_next_is_in_flight_loses_and_duplicates_nothing(
        graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch 2 dies after batch 3 has written its records and tried to commit: batch 3 is
    refused its turn (rolled back), the run's cursor stays after batch 1, and the run, resumed
    under a new lease, ends with every record once."""
    feed = tmp_path / "jobs.json"
    feed.write_text(json.dumps([posting(n) for n in range(RECORDS)]))
    platform = register(graph, "two-in-flight-board", "schemaorg-jobposting", str(feed))
    options = partner_sync.SyncOptions(batch_size=STEP, write_size=STEP)
    real = repo.write_batch
    third_tried = threading.Event()
    early: list[int] = []

    def dying_second_batch(graph_: Graph, record_type: str, params: dict[str, Any]
                           ) -> dict[str, int] | None:
        if params["after"] == 2:
            third_tried.wait(timeout=120)  # batch 3 wrote its records meanwhile
            raise WorkerKilled
        try:
            return real(graph_, record_type, params)
        except repo.OutOfTurn:
            early.append(params["after"])
            raise
        finally:
            if params["after"] == 3:
                third_tried.set()

    monkeypatch.setattr(repo, "write_batch", dying_second_batch)
    run, start = partner_sync.open_run(graph, "two-in-flight-board")
    assert start
    with pytest.raises(WorkerKilled):
        partner_sync.run_sync(graph, run["id"], run["lease"], options)
    assert early == [3]  # batch 3 came before its turn and was rolled back
    after_crash = run_repo.run_by_id(graph, run["id"])
    assert after_crash is not None
    assert (after_crash["status"], after_crash["created"], after_crash["seen"]) == (
        "RUNNING", 2 * STEP, 2 * STEP)
    assert json.loads(after_crash["cursor"]) == {"offset": 2 * STEP}
    assert len(synced(graph, platform["id"])) == 2 * STEP

    monkeypatch.setattr(repo, "write_batch", real)
    resumed, start = partner_sync.open_run(graph, "two-in-flight-board",
                                           stale_after=dt.timedelta(0))
    assert start and resumed["id"] == run["id"] and resumed["lease"] == run["lease"] + 1
    finished = partner_sync.run_sync(graph, resumed["id"], resumed["lease"], options)
    assert finished["status"] == "SUCCEEDED", finished
    assert {k: finished[k] for k in ("seen", "created", "unchanged", "duplicates")} == {
        "seen": RECORDS, "created": RECORDS, "unchanged": 0, "duplicates": 0}
    keys = synced(graph, platform["id"])
    assert keys == sorted((f"{platform['id']}:JOB-{n:05d}", 1) for n in range(RECORDS))


def test_batches_in_flight_land_every_record_once_and_a_resync_writes_nothing(
        graph: Graph, tmp_path: Path) -> None:
    """Many small batches, two at a time: every record once with its provenance, the run's
    counts add up, and syncing again changes nothing."""
    feed = tmp_path / "jobs.json"
    feed.write_text(json.dumps([posting(n) for n in range(RECORDS)]))
    platform = register(graph, "many-batches-board", "schemaorg-jobposting", str(feed))
    options = partner_sync.SyncOptions(batch_size=STEP, write_size=STEP)
    first = partner_sync.sync_now(graph, "many-batches-board", options=options)
    assert (first["status"], first["created"], first["seen"]) == ("SUCCEEDED", RECORDS, RECORDS)
    [stored] = graph.run("MATCH (r:SyncRun {id: $id}) RETURN r.batches AS batches",
                         {"id": first["id"]})
    assert stored["batches"] == RECORDS // STEP  # one per batch; the last one closes the drop
    again = partner_sync.sync_now(graph, "many-batches-board", options=options)
    assert (again["created"], again["updated"], again["unchanged"], again["withdrawn"]) == (
        0, 0, RECORDS, 0)
    assert len(synced(graph, platform["id"])) == RECORDS
