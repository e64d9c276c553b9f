"""HTTP feeds synced by real Celery workers from a real local feed server.

Covers pagination, ETag re-fetches (304), a 429 with Retry-After, a transient 500, a malformed
record, a record that disappears, test-mode privacy until promotion, and a worker killed
mid-sync whose run resumes from its cursor without duplicates.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from flask.testing import FlaskClient

from civicgraph.cli import devstack
from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR
from partners.sources import HttpFetcher
from partners.tasks import SYNC_DUE_PARTNER_FEEDS
from tests.builders import gql, wait_for
from tests.partners.feed_server import posting, serving

pytestmark = pytest.mark.worker

REGISTER = """mutation R($input: RegisterPartnerPlatformInput!) {
  registerPartnerPlatform(input: $input) { platform { id name mode allowedRecordTypes } } }"""
SYNC = "mutation S($p: String!) { syncPartnerFeed(input: {platform: $p}) { run { id status } } }"
RUN = """query Q($id: ID!) { syncRun(id: $id) { id status seen created updated unchanged
  withdrawn quarantined pagesNotModified attempts durationMs error } }"""
VACANCY = """query V($id: ID!) { vacancy(id: $id) { title status
  sources(first: 5) { edges { key fetchedAt hash node { name } } } } }"""


def finished_run(client: FlaskClient, run_id: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        run: dict[str, Any] = gql(client, RUN, {"id": run_id})["data"]["syncRun"]
        return run if run["status"] in {"SUCCEEDED", "FAILED"} else None
    result: dict[str, Any] = wait_for(done, timeout=90, interval=0.3)
    return result


def sync_via_graphql(client: FlaskClient, platform: str) -> dict[str, Any]:
    started = gql(client, SYNC, {"p": platform})["data"]["syncPartnerFeed"]["run"]
    assert started["status"] == "QUEUED"
    return finished_run(client, started["id"])


def versions(graph: Graph) -> dict[str, int]:
    rows = graph.run("MATCH (v:Vacancy) RETURN v.syncKey AS k, v.version AS version")
    return {r["k"]: r["version"] for r in rows}


def test_http_feed_through_a_worker(client: FlaskClient, admin_client: FlaskClient,
                                    graph: Graph, worker: devstack.Service) -> None:
    """An admin registers and syncs the feed; `client` is the anonymous public."""
    with serving() as server:
        pages = [[posting(n) for n in range(p * 4, p * 4 + 4)] for p in range(3)]
        pages[1][2] = {"@type": "JobPosting", "identifier": "JOB-BROKEN", "title": "x",
                       "datePosted": "last tuesday"}
        server.feeds["jobs"] = pages
        server.faults["/jobs?page=2"] = [(429, {"Retry-After": "1"})]
        server.faults["/jobs?page=3"] = [(500, {})]
        body = gql(admin_client, REGISTER, {"input": {
            "name": "feed-board", "kind": "JOB_BOARD", "connector": "schemaorg-jobposting",
            "transport": "HTTP", "location": server.url("jobs"), "clientId": "client-123",
            "scheduleSeconds": 0}})
        platform = body["data"]["registerPartnerPlatform"]["platform"]
        assert platform["mode"] == "TEST" and platform["allowedRecordTypes"] == ["Vacancy"]

        run = sync_via_graphql(admin_client, "feed-board")
        assert {k: run[k] for k in ("status", "seen", "created", "quarantined")} == {
            "status": "SUCCEEDED", "seen": 12, "created": 11, "quarantined": 1}
        assert server.answers("/jobs?page=2") == [429, 200]
        assert server.answers("/jobs?page=3") == [500, 200]
        bad = gql(admin_client, """{ quarantinedRecords(where: {platform: "feed-board"}) {
          nodes { key reason run { platform { name } } } } }""")
        other = gql(admin_client, """{ quarantinedRecords(where: {platform: "no-such-feed"}) {
          totalCount } }""")
        assert other["data"]["quarantinedRecords"] == {"totalCount": 0}
        assert [{"key": r["key"], "reason": r["reason"]}
                for r in bad["data"]["quarantinedRecords"]["nodes"]] == [
            {"key": "JOB-BROKEN", "reason": "datePosted is not an ISO 8601 date: 'last tuesday'"}]
        assert bad["data"]["quarantinedRecords"]["nodes"][0]["run"]["platform"] == {
            "name": "feed-board"}

        # TEST mode: the public does not see the records; after promotion it does.
        vacancy_id = graph.run("MATCH (v:Vacancy {title: 'Job 0'}) RETURN v.id AS id")[0]["id"]
        hidden = gql(client, VACANCY, {"id": vacancy_id})
        assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        partner_platforms.promote(graph, platform["id"], OPERATOR)
        shown = gql(client, VACANCY, {"id": vacancy_id})["data"]["vacancy"]
        assert shown["title"] == "Job 0" and shown["status"] == "OPEN"
        [source] = shown["sources"]["edges"]
        assert source["node"]["name"] == "feed-board" and source["key"] == "JOB-00000"
        assert len(source["hash"]) == 64 and source["fetchedAt"]

        # Re-sync: every page answers 304 to its ETag; nothing is written.
        before = versions(graph)
        again = sync_via_graphql(admin_client, "feed-board")
        assert {k: again[k] for k in ("pagesNotModified", "created", "updated", "withdrawn")} \
            == {"pagesNotModified": 3, "created": 0, "updated": 0, "withdrawn": 0}
        assert server.answers("/jobs?page=1")[-1] == 304
        assert versions(graph) == before

        # A posting disappears from page 3: only that page is re-read; the posting is withdrawn.
        del pages[2][1]
        third = sync_via_graphql(admin_client, "feed-board")
        assert {k: third[k] for k in ("pagesNotModified", "unchanged", "withdrawn", "created")} \
            == {"pagesNotModified": 2, "unchanged": 3, "withdrawn": 1, "created": 0}
        gone = graph.run("MATCH (v:Vacancy {title: 'Job 9'}) RETURN v.status AS s")[0]["s"]
        assert gone == "WITHDRAWN"
        assert graph.run("MATCH (v:Vacancy) RETURN count(v) AS n")[0]["n"] == 11


def queue_on(queue: str) -> CeleryTaskQueue:
    """The real Celery client on one named queue, so only the test's own worker gets it."""
    return CeleryTaskQueue(create_celery(load_settings()), queue)


def own_worker(services: dict[str, Any], queue: str, label: str) -> devstack.Service:
    name = f"{label}-{os.getpid()}@%h"
    service = devstack.worker_service(dict(os.environ), services["logs"] / f"{label}.log",
                                      concurrency=1, queues=queue, name=name)
    service.start()
    celery = create_celery(load_settings())
    devstack.wait_until(
        lambda: any(label in host for reply in celery.control.ping(timeout=1.0)
                    for host in reply), 60, label, service.alive)
    return service


def run_row(graph: Graph, run_id: str) -> dict[str, Any]:
    return dict(graph.run("MATCH (r:SyncRun {id: $id}) RETURN r {.*} AS r", {"id": run_id})[0]["r"])


def test_a_killed_worker_resumes_from_its_cursor_without_duplicates(
        graph: Graph, services: dict[str, Any]) -> None:
    queue = f"partners-kill-{os.getpid()}"
    tasks = queue_on(queue)
    with serving() as server:
        server.feeds["big"] = [[posting(p * 5 + i) for i in range(5)] for p in range(6)]
        server.delay = 0.8
        platform = partner_platforms.register(
            graph, name="big-board", kind="JOB_BOARD", connector="schemaorg-jobposting",
            transport="HTTP", location=server.url("big"), schedule_seconds=0)
        first = own_worker(services, queue, "kill-a")
        try:
            run = partner_sync.request_sync(graph, tasks, "big-board")
            wait_for(lambda: run_row(graph, run["id"])["created"] >= 10, timeout=60)
            first.kill()
        finally:
            first.stop()
        at_kill = run_row(graph, run["id"])
        assert at_kill["status"] == "RUNNING" and 10 <= at_kill["created"] < 30
        done_pages = at_kill["created"] // 5

        second = own_worker(services, queue, "kill-b")
        try:
            # The dead worker's heartbeat is old: asking again resumes that run, under a new lease.
            resumed = partner_sync.request_sync(graph, tasks, "big-board",
                                                stale_after=dt.timedelta(0))
            assert resumed["id"] == run["id"] and resumed["lease"] == 2
            wait_for(lambda: run_row(graph, run["id"])["status"] == "SUCCEEDED", timeout=60)
        finally:
            second.stop()
        final = run_row(graph, run["id"])
        assert (final["created"], final["seen"], final["attempts"]) == (30, 30, 2)
        keys = graph.run("MATCH (v:Vacancy)-[:SOURCED_FROM]->(:PartnerPlatform {id: $id}) "
                         "RETURN count(v) AS n, count(DISTINCT v.syncKey) AS distinct",
                         {"id": platform["id"]})[0]
        assert (keys["n"], keys["distinct"]) == (30, 30)
        for page in range(1, done_pages + 1):  # committed pages were not fetched again
            assert server.answers(f"/big?page={page}") == [200]


def test_beat_resumes_a_sync_whose_worker_died_without_a_trigger(
        graph: Graph, services: dict[str, Any], worker: devstack.Service) -> None:
    """A worker killed mid-sync: once its heartbeat is older than RESUME_AFTER, beat's
    due-feeds check (sent to the real worker, as beat sends it every minute) resumes the run
    under a new lease, from its cursor, with no one asking."""
    queue = f"partners-resume-{os.getpid()}"
    with serving() as server:
        server.feeds["resume"] = [[posting(p * 5 + i) for i in range(5)] for p in range(6)]
        server.delay = 0.8
        platform = partner_platforms.register(
            graph, name="resume-board", kind="JOB_BOARD", connector="schemaorg-jobposting",
            transport="HTTP", location=server.url("resume"), schedule_seconds=0)
        doomed = own_worker(services, queue, "resume-a")
        try:
            run = partner_sync.request_sync(graph, queue_on(queue), "resume-board")
            wait_for(lambda: run_row(graph, run["id"])["created"] >= 10, timeout=60)
            doomed.kill()
        finally:
            doomed.stop()
        assert run_row(graph, run["id"])["status"] == "RUNNING"
        server.delay = 0.0
        # Time passes: the dead worker's heartbeat is now older than RESUME_AFTER.
        graph.run("MATCH (r:SyncRun {id: $id}) SET r.heartbeatAt = r.heartbeatAt - $age",
                  {"id": run["id"], "age": partner_sync.RESUME_AFTER + dt.timedelta(seconds=5)},
                  write=True)
        started = create_celery(load_settings()).send_task(SYNC_DUE_PARTNER_FEEDS).get(timeout=60)
        assert started == [run["id"]]
        wait_for(lambda: run_row(graph, run["id"])["status"] == "SUCCEEDED", timeout=90)
        final = run_row(graph, run["id"])
        assert (final["created"], final["seen"], final["lease"], final["attempts"]) == (
            30, 30, 2, 2)
        keys = graph.run("MATCH (v:Vacancy)-[:SOURCED_FROM]->(:PartnerPlatform {id: $id}) "
                         "RETURN count(v) AS n, count(DISTINCT v.syncKey) AS distinct",
                         {"id": platform["id"]})[0]
        assert (keys["n"], keys["distinct"]) == (30, 30)


def test_beat_task_syncs_due_platforms(graph: Graph, worker: devstack.Service) -> None:
    from civicgraph.workers.celery_app import celery_app

    assert celery_app.conf.beat_schedule["partner-feeds-due"]["task"] == SYNC_DUE_PARTNER_FEEDS
    with serving() as server:
        server.feeds["due"] = [[posting(1), posting(2)]]
        partner_platforms.register(
            graph, name="due-board", kind="JOB_BOARD", connector="schemaorg-jobposting",
            transport="HTTP", location=server.url("due"), schedule_seconds=3600)
        started = create_celery(load_settings()).send_task(SYNC_DUE_PARTNER_FEEDS).get(timeout=60)
        assert len(started) == 1
        wait_for(lambda: graph.run("MATCH (r:SyncRun {status: 'SUCCEEDED'}) RETURN r.id AS id"),
                 timeout=60)
        assert graph.run("MATCH (v:Vacancy) RETURN count(v) AS n")[0]["n"] == 2
        # Not due again until its schedule comes round.
        assert create_celery(load_settings()).send_task(SYNC_DUE_PARTNER_FEEDS).get(
            timeout=60) == []


def test_a_feed_that_keeps_failing_fails_the_run_after_bounded_retries(graph: Graph) -> None:
    with serving() as server:
        server.feeds["flaky"] = [[posting(1)]]
        server.faults["/flaky?page=1"] = [(503, {})] * 3
        partner_platforms.register(
            graph, name="flaky-board", kind="JOB_BOARD", connector="schemaorg-jobposting",
            transport="HTTP", location=server.url("flaky"), schedule_seconds=0)
        options = partner_sync.SyncOptions(fetcher=HttpFetcher(max_attempts=3, backoff=0.01))
        run = partner_sync.sync_now(graph, "flaky-board", options=options)
        assert run["status"] == "FAILED" and "after 3 attempts" in run["error"]
        assert server.answers("/flaky?page=1") == [503, 503, 503]
        again = partner_sync.sync_now(graph, "flaky-board", options=options)
        assert again["status"] == "SUCCEEDED" and again["created"] == 1


