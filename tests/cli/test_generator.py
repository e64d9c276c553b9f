"""The ecosystem generator: reproducible from its seed, idempotent, readable through GraphQL."""

from __future__ import annotations

import datetime as dt

import pytest

from civicgraph.core.errors import BadInput
from civicgraph.core.graph import Graph
from civicgraph.partner_graph import generator, vocabulary
from civicgraph.partner_graph.cypher import bulk
from civicgraph.partner_graph.service.organisations import KIND_LABELS

SIZE = generator.Size(organisations=60, vacancies=300, skills=40, batch=50)


def fingerprint(graph: Graph) -> tuple[int, int, str]:
    row = graph.run(
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:SchemaMigrationLock "
        "WITH n ORDER BY n.id WITH collect(n.id) AS ids "
        "RETURN size(ids) AS nodes, COUNT { ()-[]->() } AS rels, "
        "reduce(s = '', i IN ids | s + left(i, 4)) AS digest")[0]
    return row["nodes"], row["rels"], row["digest"]


def test_same_seed_same_graph_and_a_second_run_adds_nothing(graph: Graph) -> None:
    report = generator.generate(graph, SIZE, seed=7)
    assert report.created["organisations"] == 60
    assert report.created["vacancies"] == 300
    assert report.created["skills"] == 40
    assert report.records > 0 and report.per_second > 0
    first = fingerprint(graph)
    again = generator.generate(graph, SIZE, seed=7)
    assert set(again.created.values()) == {0}
    assert fingerprint(graph) == first
    graph.run("MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:SchemaMigrationLock "
              "DETACH DELETE n", write=True)
    generator.generate(graph, SIZE, seed=7)
    assert fingerprint(graph) == first
    offered = graph.run("MATCH (v:Vacancy) WHERE NOT (v)-[:OFFERED_BY]->(:Organisation) "
                        "RETURN count(v) AS n")[0]["n"]
    assert offered == 0


def test_another_seed_gives_another_graph() -> None:
    assert generator.build_rows(SIZE, 1)["organisations"][0] != \
        generator.build_rows(SIZE, 2)["organisations"][0]
    assert generator.build_rows(SIZE, 1) == generator.build_rows(SIZE, 1)


def test_generated_and_seeded_rows_obey_the_mutations_rules(graph: Graph) -> None:
    """The bulk writers check rows by the same rules as registerOrganisation: nothing is written
    when one row is wrong."""
    rows = generator.build_rows(SIZE, 3)["organisations"][:2]
    rows[1] = {**rows[1], "props": {**rows[1]["props"], "region": "r" * 150}}
    with pytest.raises(BadInput) as refused:
        bulk.organisations(graph, rows)
    assert refused.value.details == {"field": "region"}
    assert graph.run("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"] == 0


def test_every_generated_node_carries_the_envelope(graph: Graph) -> None:
    generator.generate(graph, SIZE, seed=5)
    unstamped = graph.run(
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:SchemaMigrationLock "
        "AND NOT (n.version = 1 AND n.createdAt = n.updatedAt AND n.id IS NOT NULL) "
        "RETURN count(n) AS n")[0]["n"]
    assert unstamped == 0


def test_generated_rows_are_a_region_on_the_one_vocabulary() -> None:
    """Every kind; each organisation, vacancy and course in one of the nine English regions,
    named one way; vacancies posted over 2025-2026 for an occupation of the vocabulary, asking
    for skills that occupation needs; courses teaching the vocabulary's skills."""
    rows = generator.build_rows(generator.Size(organisations=60, vacancies=600, courses=60), 9)
    sample = vocabulary.sample()
    records = [r["props"] for kind in ("organisations", "vacancies", "courses")
               for r in rows[kind]]
    assert {p["regionCode"] for p in records} == set(vocabulary.REGION_CODES)
    assert all(p["region"] == vocabulary.REGION_NAMES[p["regionCode"]] for p in records)
    assert {o["props"]["kind"] for o in rows["organisations"]} == set(KIND_LABELS)
    skills = {s["uri"] for s in sample.skills}
    occupations = {o["uri"] for o in sample.occupations}
    assert {s["props"]["uri"] for s in rows["skills"]} == skills
    for vacancy in rows["vacancies"]:
        [occupation] = vacancy["occupation"]
        assert occupation in occupations
        assert vacancy["skills"] and set(vacancy["skills"]) <= set(sample.needs(occupation))
        assert dt.date(2025, 1, 1) <= vacancy["props"]["postedAt"] <= dt.date(2026, 12, 31)
    months = {v["props"]["postedAt"].strftime("%Y-%m") for v in rows["vacancies"]}
    assert len(months) == 24
    assert all(c["skills"] and set(c["skills"]) <= skills for c in rows["courses"])
