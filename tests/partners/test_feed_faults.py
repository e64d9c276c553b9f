"""Feeds that never wedge: one bad record is quarantined with its reason, the rest lands, and every
run ends with a status and a reason (issue 14, "Why" point 3), on the real database."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from partners.cypher import sync as sync_statements
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from tests.builders import bearer, create_client, fetch_token
from tests.partners.feed_server import posting
from tests.partners.test_file_sync import register, sync


def drop(tmp_path: Path, records: list[Any], name: str = "jobs.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(records))
    return str(path)


def reasons(graph: Graph, platform: str) -> dict[str | None, str]:
    return {q["key"]: q["reason"]
            for q in partner_sync.list_quarantined(graph, platform, None, 100)}


def vacancy_count(graph: Graph) -> int:
    return int(graph.run("MATCH (v:Vacancy) RETURN count(v) AS n")[0]["n"])


def pusher(app: Flask, graph: Graph, name: str) -> FlaskClient:
    client_id, secret = create_client(graph, ["graph:write"])
    partner_platforms.register(graph, name=name, kind="JOB_BOARD",
                               connector="schemaorg-jobposting", transport="WEBHOOK",
                               client_id=client_id)
    return bearer(app, fetch_token(app.test_client(), client_id, secret)["access_token"])


def test_a_huge_key_in_a_file_is_quarantined_and_the_batch_lands(graph: Graph,
                                                                  tmp_path: Path) -> None:
    """A 1 MB key used to fail the batch ("Property value is too large to index") and leave
    the run RUNNING with no error; every resume failed the same way."""
    records = [posting(n) for n in range(5)]
    records[2] = {**records[2], "identifier": "K" * 1_000_000}
    register(graph, "huge-key-board", "schemaorg-jobposting", drop(tmp_path, records))
    run = sync(graph, "huge-key-board")
    assert (run["status"], run["created"], run["quarantined"]) == ("SUCCEEDED", 4, 1)
    assert list(reasons(graph, "huge-key-board").values()) == [
        "key is 1000000 characters long; the limit is 200"]
    assert vacancy_count(graph) == 4
    again = sync(graph, "huge-key-board")  # the feed is not wedged: the next run just runs
    assert (again["status"], again["unchanged"], again["quarantined"]) == ("SUCCEEDED", 4, 1)


def test_a_huge_pushed_key_is_quarantined_and_the_next_push_is_accepted(
        app: Flask, graph: Graph) -> None:
    """A 40 KB pushed key used to leave the push's run RUNNING, so the next push got 409."""
    client = pusher(app, graph, "huge-push-board")
    records = [posting(1), {**posting(2), "identifier": "K" * 40_000}]
    first = client.post("/partners/huge-push-board/records", json=records)
    assert first.status_code == 201, first.get_data(as_text=True)
    run = first.get_json()["run"]
    assert (run["status"], run["created"], run["quarantined"]) == ("SUCCEEDED", 1, 1)
    second = client.post("/partners/huge-push-board/records", json=[posting(3)])
    assert second.status_code == 201, second.get_data(as_text=True)
    assert second.get_json()["run"]["created"] == 1


def test_push_bodies_that_are_not_json_records_are_refused(app: Flask, graph: Graph) -> None:
    client = pusher(app, graph, "picky-push-board")
    text = client.post("/partners/picky-push-board/records", data=json.dumps([posting(1)]),
                       content_type="text/plain")
    assert text.status_code == 415
    assert text.get_json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    for body in ("42", "null", '"a string"', "[" * 100_000):
        answer = client.post("/partners/picky-push-board/records", data=body,
                             content_type="application/json")
        assert answer.status_code == 400, (body[:10], answer.get_data(as_text=True))
        assert answer.get_json()["error"]["message"]
    assert vacancy_count(graph) == 0
    ok = client.post("/partners/picky-push-board/records", json=[posting(1)])
    assert ok.status_code == 201


def test_duplicate_keys_within_a_feed_are_counted_and_noted(graph: Graph,
                                                            tmp_path: Path) -> None:
    records = [posting(1), posting(2, title="Second posting"), posting(2, title="A copy"),
               posting(3)]
    register(graph, "dupe-board", "schemaorg-jobposting", drop(tmp_path, records))
    run = sync(graph, "dupe-board")
    assert (run["seen"], run["created"], run["duplicates"], run["quarantined"]) == (4, 3, 1, 0)
    assert run["notes"] == ["key 'JOB-00002' appears more than once in the feed; the first copy "
                            "was kept"]
    titles = graph.run("MATCH (v:Vacancy)-[:SOURCED_FROM {key: 'JOB-00002'}]->() "
                       "RETURN v.title AS t")
    assert [r["t"] for r in titles] == ["Second posting"]


def test_long_values_are_refused_or_cut_with_a_warning_never_silently(
        graph: Graph, tmp_path: Path) -> None:
    """The model allows a vacancy title of 200 characters and a description of 4,000; the
    connectors used to clip at 300 and 10,000 without a word."""
    records = [posting(1), {**posting(2), "title": "T" * 250},
               {**posting(3), "description": "word " * 200_000}]
    register(graph, "long-board", "schemaorg-jobposting", drop(tmp_path, records))
    run = sync(graph, "long-board")
    assert (run["status"], run["created"], run["quarantined"], run["warnings"]) == (
        "SUCCEEDED", 2, 1, 1)
    assert reasons(graph, "long-board") == {
        "JOB-00002": "title is 250 characters long; the limit is 200"}
    assert run["notes"] == ["JOB-00003: description cut from 999,999 to 4,000 characters "
                            "(the model's limit)"]
    [cut] = graph.run("MATCH (v:Vacancy {title: 'Job 3'})-[s:SOURCED_FROM]->() "
                      "RETURN size(v.description) AS n, s.warnings AS warnings")
    assert cut["n"] <= 4000
    assert cut["warnings"] == ["description cut from 999,999 to 4,000 characters "
                               "(the model's limit)"]


def test_an_object_identifier_is_refused_not_stored_as_its_repr(graph: Graph,
                                                                tmp_path: Path) -> None:
    records = [posting(1), {**posting(2), "identifier": {"@type": "PropertyValue",
                                                        "value": {"nested": True}}}]
    register(graph, "object-key-board", "schemaorg-jobposting", drop(tmp_path, records))
    run = sync(graph, "object-key-board")
    assert (run["created"], run["quarantined"]) == (1, 1)
    assert list(reasons(graph, "object-key-board").values()) == [
        "identifier must be text or a whole number, got dict"]
    stored = graph.run("MATCH ()-[s:SOURCED_FROM]->() RETURN s.key AS key")
    assert [r["key"] for r in stored] == ["JOB-00001"]


def test_a_batch_the_database_refuses_is_split_until_the_record_is_found(
        graph: Graph, tmp_path: Path) -> None:
    """Checks at the boundary cannot foresee every refusal: here a uniqueness constraint the
    records do not know about refuses the fourth posting (same url as the second)."""
    records = [{**posting(n), "url": f"https://jobs.example/{n}"} for n in range(8)]
    records[3]["url"] = records[1]["url"]
    register(graph, "refused-board", "schemaorg-jobposting", drop(tmp_path, records))
    graph.run("CREATE CONSTRAINT test_vacancy_url IF NOT EXISTS "
              "FOR (v:Vacancy) REQUIRE v.url IS UNIQUE", write=True)
    try:
        run = sync(graph, "refused-board")
    finally:
        graph.run("DROP CONSTRAINT test_vacancy_url IF EXISTS", write=True)
    assert (run["status"], run["created"], run["quarantined"]) == ("SUCCEEDED", 7, 1)
    [(key, reason)] = reasons(graph, "refused-board").items()
    assert key == "JOB-00003" and reason.startswith("the database refused the record: ")
    assert "already exists" in reason
    assert vacancy_count(graph) == 7


def test_a_feed_that_cannot_be_read_fails_with_a_reason_and_does_not_block(
        graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"@type": "JobPosting", ')
    register(graph, "broken-board", "schemaorg-jobposting", str(path))
    run = sync(graph, "broken-board")
    assert run["status"] == "FAILED" and "JSONDecodeError" in run["error"]
    path.write_text(json.dumps([posting(1)]))
    assert sync(graph, "broken-board")["status"] == "SUCCEEDED"


def test_a_failed_enqueue_leaves_no_queued_run_blocking_the_next(graph: Graph,
                                                                 tmp_path: Path) -> None:
    """A broker that does not answer: the run is closed at once (FAILED, with the reason),
    so the next request starts a fresh run instead of waiting ten minutes."""
    register(graph, "unqueued-board", "schemaorg-jobposting", drop(tmp_path, [posting(1)]))
    dead = dataclasses.replace(load_settings(), redis_url="redis://127.0.0.1:9/0")
    with pytest.raises(Exception, match=r"(?i)connect|refused|error"):
        partner_sync.request_sync(graph, CeleryTaskQueue(create_celery(dead)), "unqueued-board")
    [failed] = partner_sync.list_runs(graph, "unqueued-board", 10)
    assert failed["status"] == "FAILED"
    assert failed["error"].startswith("RuntimeError: the run could not be handed to a worker")
    run = partner_sync.sync_now(graph, "unqueued-board")
    assert (run["status"], run["created"]) == ("SUCCEEDED", 1) and run["id"] != failed["id"]


def test_the_batch_statements_plan_at_worker_start(graph: Graph) -> None:
    """What the worker runs when it starts (``partners.tasks``): every batch statement and the
    terms statement are planned by the server without being run."""
    sync_statements.warm(graph)
    assert vacancy_count(graph) == 0
