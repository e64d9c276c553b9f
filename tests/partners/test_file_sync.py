"""File-drop feeds in the three real formats: provenance, idempotent re-sync, withdrawal, merge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from flask import Flask

from civicgraph.core.graph import Graph
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR
from tests.builders import bearer, client_with_token, create_client, fetch_token
from tests.partners.feed_server import posting

DEMO = Path(__file__).resolve().parents[2] / "partners" / "data" / "demo"


def register(graph: Graph, name: str, connector: str, location: str, transport: str = "FILE",
             allowed: list[str] | None = None, promote: bool = True) -> dict[str, Any]:
    platform = partner_platforms.register(
        graph, name=name, kind="OTHER", connector=connector, transport=transport,
        location=location, allowed_record_types=allowed, schedule_seconds=0)
    if promote:
        platform = partner_platforms.promote(graph, platform["id"], OPERATOR)
    return platform


def sync(graph: Graph, name: str, batch_size: int = 1000) -> dict[str, Any]:
    options = partner_sync.SyncOptions(batch_size=batch_size)
    return partner_sync.sync_now(graph, name, options=options)


def counts(run: dict[str, Any]) -> dict[str, int]:
    keys = ("seen", "created", "updated", "unchanged", "withdrawn", "quarantined")
    return {k: run[k] for k in keys}


def snapshot(graph: Graph) -> list[tuple[str, int, str]]:
    rows = graph.run(
        "MATCH (n) WHERE n:Vacancy OR n:TrainingCourse OR n:Organisation "
        "RETURN n.id AS id, n.version AS version, toString(n.updatedAt) AS at ORDER BY id")
    return [(r["id"], r["version"], r["at"]) for r in rows]


def test_three_demo_feeds_sync_with_provenance_and_resync_writes_nothing(graph: Graph) -> None:
    register(graph, "demo-register", "companies-house-basic", str(DEMO / "companies.csv"))
    register(graph, "demo-jobs", "schemaorg-jobposting", str(DEMO / "jobs.jsonld"))
    register(graph, "demo-courses", "schemaorg-course", str(DEMO / "courses.jsonld"))

    register_run = sync(graph, "demo-register", batch_size=4)
    assert register_run["status"] == "SUCCEEDED", register_run
    assert counts(register_run) == {"seen": 6, "created": 6, "updated": 0, "unchanged": 0,
                                    "withdrawn": 0, "quarantined": 0}
    jobs_run = sync(graph, "demo-jobs")
    assert counts(jobs_run)["created"] == 6
    courses_run = sync(graph, "demo-courses")
    assert counts(courses_run)["created"] == 6

    # A job names its employer by company number: it is offered by the register's node.
    row = graph.run(
        "MATCH (v:Vacancy {title: 'Junior Python Developer'})-[:OFFERED_BY]->(o:Organisation) "
        "MATCH (v)-[s:SOURCED_FROM]->(p:PartnerPlatform) "
        "RETURN o.businessId AS bid, o.name AS org, s.key AS key, s.hash AS hash, "
        "s.fetchedAt IS NOT NULL AS fetched, p.name AS platform, v.id AS id, "
        "COUNT { (v)-[:REQUIRES {essential: true}]->() } AS essential, "
        "COUNT { (v)-[:REQUIRES {essential: false}]->() } AS optional")[0]
    assert row["bid"] == "09000001" and row["org"] == "PENNINE SOFTWARE WORKS LTD"
    assert row["key"] == "DJB-0001" and row["platform"] == "demo-jobs" and row["fetched"]
    assert len(row["hash"]) == 64 and (row["essential"], row["optional"]) == (3, 1)
    sources = partner_sync.sources(graph, row["id"])
    assert [s["platform"] for s in sources] == ["demo-jobs"]
    assert graph.run("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"] == 6

    before = snapshot(graph)
    again = [sync(graph, n) for n in ("demo-register", "demo-jobs", "demo-courses")]
    assert [counts(r)["unchanged"] for r in again] == [6, 6, 6]
    assert all(r["created"] == r["updated"] == r["withdrawn"] == 0 for r in again)
    assert snapshot(graph) == before


def test_changed_gone_and_malformed_records(graph: Graph, tmp_path: Path) -> None:
    feed = tmp_path / "jobs.json"
    items = json.loads((DEMO / "jobs.jsonld").read_text())["itemListElement"]
    postings = [i["item"] for i in items]
    feed.write_text(json.dumps(postings))
    register(graph, "jobs", "schemaorg-jobposting", str(feed))
    assert counts(sync(graph, "jobs"))["created"] == 6

    changed: list[Any] = [dict(p) for p in postings[1:]]  # the first posting is gone
    changed[0]["title"] = "Senior Web Developer"
    changed.append({"@type": "JobPosting", "identifier": "BROKEN-1", "title": ""})
    changed.append("not even an object")
    feed.write_text(json.dumps(changed))
    run = sync(graph, "jobs")
    assert counts(run) == {"seen": 7, "created": 0, "updated": 1, "unchanged": 4,
                           "withdrawn": 1, "quarantined": 2}
    gone = graph.run("MATCH (v:Vacancy {title: 'Junior Python Developer'}) "
                     "RETURN v.status AS status, v.version AS version")[0]
    assert gone["status"] == "WITHDRAWN" and gone["version"] == 2
    renamed = graph.run("MATCH (v:Vacancy {title: 'Senior Web Developer'}) "
                        "RETURN v.version AS version")[0]
    assert renamed["version"] == 2
    bad = partner_sync.list_quarantined(graph, "jobs", run["id"], 10)
    assert sorted(b["reason"] for b in bad) == [
        "JobPosting has no title", "a record must be an object, got str"]
    assert any(json.loads(b["raw"]) == {"@type": "JobPosting", "identifier": "BROKEN-1",
                                        "title": ""} for b in bad)
    assert graph.run("MATCH (v:Vacancy) RETURN count(v) AS n")[0]["n"] == 6

    feed.write_text(json.dumps(postings))  # it comes back
    back = sync(graph, "jobs")
    assert back["updated"] == 2 and back["withdrawn"] == 0
    assert graph.run("MATCH (v:Vacancy {status: 'WITHDRAWN'}) RETURN count(v) AS n")[0]["n"] == 0


def test_two_registers_describing_one_company_make_one_node(graph: Graph, tmp_path: Path
                                                            ) -> None:
    second = tmp_path / "chamber.csv"
    shutil.copy(DEMO / "companies.csv", second)
    register(graph, "register-a", "companies-house-basic", str(DEMO / "companies.csv"))
    register(graph, "register-b", "companies-house-basic", str(second))
    sync(graph, "register-a")
    run_b = sync(graph, "register-b")
    assert (run_b["created"], run_b["updated"]) == (0, 6)
    node = graph.run("MATCH (o:Organisation {businessId: '09000003'}) RETURN o.id AS id")
    assert len(node) == 1
    sources = partner_sync.sources(graph, node[0]["id"])
    assert sorted(s["platform"] for s in sources) == ["register-a", "register-b"]


def test_a_job_board_cannot_write_courses(graph: Graph) -> None:
    register(graph, "sneaky-board", "schemaorg-course", str(DEMO / "courses.jsonld"),
             allowed=["Vacancy"])
    run = sync(graph, "sneaky-board")
    assert (run["created"], run["quarantined"]) == (0, 6)
    reasons = {q["reason"] for q in partner_sync.list_quarantined(graph, "sneaky-board",
                                                                  None, 10)}
    assert reasons == {"platform sneaky-board is not granted record type TrainingCourse"}
    assert graph.run("MATCH (c:TrainingCourse) RETURN count(c) AS n")[0]["n"] == 0


def test_records_pushed_to_the_webhook(app: Flask, graph: Graph) -> None:
    client_id, secret = create_client(graph, ["graph:write"])
    partner_platforms.register(graph, name="push-board", kind="JOB_BOARD",
                               connector="schemaorg-jobposting", transport="WEBHOOK",
                               client_id=client_id)
    items = json.loads((DEMO / "jobs.jsonld").read_text())
    anonymous = app.test_client().post("/partners/push-board/records", json=items)
    assert anonymous.status_code == 401
    stranger = client_with_token(app, graph, ["graph:write"])
    assert stranger.post("/partners/push-board/records", json=items).status_code == 403
    client = bearer(app, fetch_token(app.test_client(), client_id, secret)["access_token"])
    response = client.post("/partners/push-board/records", json=items)
    assert response.status_code == 201, response.get_data(as_text=True)
    run = response.get_json()["run"]
    assert (run["trigger"], run["created"], run["status"]) == ("PUSH", 6, "SUCCEEDED")
    first = items["itemListElement"][:1]
    again = client.post("/partners/push-board/records", json=first).get_json()["run"]
    assert (again["unchanged"], again["withdrawn"]) == (1, 0)  # a push never withdraws
    wrong = client.post("/partners/no-such-board/records", json=[])
    assert wrong.status_code == 404


def test_a_record_breaking_a_property_rule_is_quarantined_not_the_batch(
    graph: Graph, tmp_path: Path
) -> None:
    """The partner graph's rules hold for feeds too: a register row whose town is 150
    characters long (an organisation's region allows 100) is quarantined with the reason, and
    the rest of the batch is written; so is a posting whose employer's region is too long."""
    register_file = tmp_path / "companies.csv"
    text = (DEMO / "companies.csv").read_text()
    register_file.write_text(text.replace(",LEEDS,", "," + "Leeds" * 30 + ",", 1))
    register(graph, "long-towns", "companies-house-basic", str(register_file))
    run = sync(graph, "long-towns")
    assert (run["status"], run["created"], run["quarantined"]) == ("SUCCEEDED", 5, 1)
    [bad] = partner_sync.list_quarantined(graph, "long-towns", run["id"], 10)
    assert (bad["key"], bad["reason"]) == (
        "09000001", "region is 150 characters long; the limit is 100")
    assert graph.run("MATCH (o:Organisation {businessId: '09000001'}) RETURN o") == []

    jobs = tmp_path / "jobs.json"
    postings = [i["item"] for i in json.loads((DEMO / "jobs.jsonld").read_text())
                ["itemListElement"]]
    postings[0] = {**postings[0], "hiringOrganization": {
        "@type": "Organization", "name": "Far Away Ltd",
        "address": {"addressLocality": "x" * 150}}}
    jobs.write_text(json.dumps(postings))
    register(graph, "far-jobs", "schemaorg-jobposting", str(jobs))
    run = sync(graph, "far-jobs")
    assert (run["status"], run["created"], run["quarantined"]) == ("SUCCEEDED", 5, 1)
    reasons = [q["reason"] for q in partner_sync.list_quarantined(graph, "far-jobs", None, 10)]
    assert reasons == ["organisation region is 150 characters long; the limit is 100"]
    assert graph.run("MATCH (o:Organisation {name: 'Far Away Ltd'}) RETURN o") == []


def test_a_new_key_that_exists_in_the_graph_is_merged_not_duplicated(graph: Graph,
                                                                     tmp_path: Path) -> None:
    """New records are CREATEd (the run knows the platform's keys); one whose node is there
    without its provenance (left by an interrupted repair, say) must still land once, sourced."""
    feed = tmp_path / "jobs.json"
    feed.write_text(json.dumps([posting(n) for n in range(3)]))
    platform = register(graph, "orphan-board", "schemaorg-jobposting", str(feed))
    graph.run("CREATE (:Vacancy {id: randomUUID(), syncKey: $key, title: 'Left behind', "
              "version: 1})", {"key": f"{platform['id']}:JOB-00001"}, write=True)
    run = sync(graph, "orphan-board")
    assert run["status"] == "SUCCEEDED" and run["quarantined"] == 0, run
    assert run["created"] + run["updated"] == 3
    rows = graph.run(
        "MATCH (v:Vacancy) WHERE v.syncKey STARTS WITH $prefix "
        "RETURN v.syncKey AS key, v.title AS title, "
        "COUNT { (v)-[:SOURCED_FROM]->(:PartnerPlatform {name: 'orphan-board'}) } AS sources, "
        "COUNT { (v)-[:REQUIRES]->(:Skill) } AS skills ORDER BY key",
        {"prefix": platform["id"] + ":"})
    assert [(r["title"], r["sources"], r["skills"]) for r in rows] == [
        ("Job 0", 1, 2), ("Job 1", 1, 2), ("Job 2", 1, 2)]
