"""The demo ecosystem `make run` loads: a second load adds nothing."""

from __future__ import annotations

from civicgraph.repositories.graph import Graph
from civicgraph.services import demo_seed


def counts(graph: Graph) -> tuple[int, int, int]:
    row = graph.run(
        "MATCH (o:Organisation) WITH count(o) AS orgs "
        "RETURN orgs, COUNT { ()-[:PARTNERS_WITH]->() } AS links, "
        "COUNT { MATCH (n) } AS nodes"
    )[0]
    return row["orgs"], row["links"], row["nodes"] + count_rels(graph)


def count_rels(graph: Graph) -> int:
    total: int = graph.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return total


def test_seed_twice_adds_no_duplicates(graph: Graph) -> None:
    first = demo_seed.seed(graph)
    assert first["organisationsCreated"] == len(demo_seed.DEMO_ORGANISATIONS)
    assert first["partnershipsCreated"] == len(demo_seed.DEMO_PARTNERSHIPS)
    # The catalogue of the partner graph: fields, skills, occupations and offers.
    assert first["fieldsCreated"] == 5 and first["skillsCreated"] == 8
    assert first["occupationsCreated"] == 3 and first["vacanciesCreated"] == 4
    assert first["trainingCoursesCreated"] == 3 and first["servicesCreated"] == 3
    assert first["capabilitiesLinked"] > 0
    after_first = counts(graph)
    second = demo_seed.seed(graph)
    assert set(second.values()) == {0}, second
    assert counts(graph) == after_first
    kinds = graph.run("MATCH (o:Organisation:StartUp) RETURN count(o) AS n")[0]["n"]
    assert kinds == 2
