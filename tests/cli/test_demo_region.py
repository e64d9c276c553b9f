"""The demo `make run` seeds is a region on one vocabulary: every organisation, vacancy and
course carries the GSS code of one of the nine English regions, every skill and occupation is
the ESCO-shaped sample's, and a skill finds every vacancy tagged with it, whoever wrote it."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from flask.testing import FlaskClient

from civicgraph.cli import demo as demo_seed
from civicgraph.core.graph import Graph
from civicgraph.partner_graph import demo as partner_graph_demo
from civicgraph.partner_graph import vocabulary
from civicgraph.partner_graph.service.organisations import KIND_LABELS
from partners import demo as partner_demo
from tests.builders import gql

CLAIMANTS = (Path(__file__).resolve().parents[2] / "hackathon_kits" / "data"
             / "claimant_count_by_region_month.csv")


def test_the_full_demo_is_a_region_on_one_vocabulary(graph: Graph) -> None:
    size = partner_graph_demo.FULL_SIZE
    started = time.perf_counter()
    seeded = demo_seed.seed(graph, size=size)
    seconds = time.perf_counter() - started
    print(f"full demo seed: {seconds:.1f}s")
    assert seconds < 60, f"the full demo took {seconds:.0f}s to seed"
    partner_demo.sync_demo(graph)
    assert seeded["generatedOrganisations"] == size.organisations
    assert seeded["generatedVacancies"] == size.vacancies
    assert seeded["generatedCourses"] == size.courses

    hand_written = len(demo_seed.DEMO_ORGANISATIONS)
    [row] = graph.run(
        "MATCH (o:Organisation) RETURN count(o) AS orgs, collect(DISTINCT o.kind) AS kinds, "
        "COUNT { ()-[:PARTNERS_WITH]->() } AS partnerships, "
        "COUNT { (v:Vacancy) } AS vacancies, COUNT { (c:TrainingCourse) } AS courses")
    assert row["orgs"] >= hand_written + size.organisations
    assert sorted(row["kinds"]) == sorted(KIND_LABELS)
    assert row["partnerships"] > size.organisations
    assert row["vacancies"] >= 1000 and row["courses"] >= 100

    # Every record of the three types is in one of the nine regions, its name spelled one way.
    wrong = graph.run(
        "MATCH (n) WHERE n:Organisation OR n:Vacancy OR n:TrainingCourse "
        "WITH n WHERE NOT n.regionCode IN $codes OR n.region <> $names[n.regionCode] "
        "RETURN coalesce(n.name, n.title) AS name, n.region AS region, n.regionCode AS code "
        "LIMIT 5",
        {"codes": list(vocabulary.REGION_CODES), "names": vocabulary.REGION_NAMES})
    assert wrong == []

    # Vacancies were posted over two years, and every region and month of them has a claimant
    # count to join.
    cells = {(r["code"], r["month"]) for r in graph.run(
        "MATCH (v:Vacancy) RETURN DISTINCT v.regionCode AS code, "
        "substring(toString(v.postedAt), 0, 7) AS month")}
    months = {month for _, month in cells}
    assert {f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)} <= months
    with CLAIMANTS.open() as handle:
        claimants = {(r["region_code"], r["month"]) for r in csv.DictReader(handle)}
    assert cells <= claimants

    # One vocabulary: every skill and occupation is the sample's, and matching on one skill
    # finds the hand-written, the generated and the fed vacancies alike.
    sample = vocabulary.sample()
    [terms] = graph.run("RETURN COLLECT { MATCH (s:Skill) RETURN s.uri } AS skills, "
                        "COLLECT { MATCH (o:Occupation) RETURN o.uri } AS occupations")
    assert set(terms["skills"]) == {s["uri"] for s in sample.skills}
    assert set(terms["occupations"]) == {o["uri"] for o in sample.occupations}
    python = graph.run(
        "MATCH (v:Vacancy)-[:REQUIRES]->(:Skill {uri: $uri}) "
        "RETURN v.title AS title, EXISTS { (v)-[:SOURCED_FROM]->() } AS fed",
        {"uri": vocabulary.skill("python")})
    titles = {r["title"] for r in python}
    assert "Junior Data Analyst" in titles  # the hand-written demo's
    assert any(r["fed"] for r in python)  # the demo job board's
    assert len(python) > 20  # and the generated ones
    untagged = graph.run("MATCH (v:Vacancy) WHERE NOT (v)-[:REQUIRES]->() "
                         "OR NOT (v)-[:FOR_OCCUPATION]->() RETURN v.title AS title LIMIT 5")
    assert [r["title"] for r in untagged] == ["Track Technician"]  # the demo's, no occupation


def test_the_demo_at_a_small_size_seeds_once_and_serves_its_region_codes(
        client: FlaskClient, graph: Graph) -> None:
    first = demo_seed.seed(graph, size=partner_graph_demo.SMALL_SIZE)
    assert first["generatedOrganisations"] == partner_graph_demo.SMALL_SIZE.organisations
    again = demo_seed.seed(graph, size=partner_graph_demo.SMALL_SIZE)
    assert set(again.values()) == {0}, again
    # The API serves the code beside the name, and filters by it.
    body = gql(client, """{ vacancies(first: 100, where: {regionCode: {eq: "E12000003"}}) {
      totalCount nodes { title region regionCode organisation { regionCode } } }
      trainingCourses(first: 1, where: {title: {eq: "Python for jobseekers"}}) {
        nodes { region regionCode provider { name region regionCode } } } }""")
    vacancies = body["data"]["vacancies"]
    assert vacancies["totalCount"] > 3
    assert {(v["region"], v["regionCode"]) for v in vacancies["nodes"]} == {
        ("Yorkshire and The Humber", "E12000003")}
    assert {"title": "Junior Data Analyst", "region": "Yorkshire and The Humber",
            "regionCode": "E12000003", "organisation": {"regionCode": "E12000003"}} \
        in vacancies["nodes"]
    assert body["data"]["trainingCourses"]["nodes"] == [{
        "region": "Yorkshire and The Humber", "regionCode": "E12000003",
        "provider": {"name": "Open Skills College", "region": "Yorkshire and The Humber",
                     "regionCode": "E12000003"}}]
