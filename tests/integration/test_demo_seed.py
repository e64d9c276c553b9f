"""The demo ecosystem `make run` loads: a second load adds nothing."""

from __future__ import annotations

from civicgraph.repositories.graph import Graph
from civicgraph.services import demo_seed


def counts(graph: Graph) -> tuple[int, int]:
    row = graph.run(
        "MATCH (o:Organisation) WITH count(o) AS orgs "
        "RETURN orgs, COUNT { ()-[:PARTNERS_WITH]->() } AS links"
    )[0]
    return row["orgs"], row["links"]


def test_seed_twice_adds_no_duplicates(graph: Graph) -> None:
    first = demo_seed.seed(graph)
    assert first == {
        "organisationsCreated": len(demo_seed.DEMO_ORGANISATIONS),
        "partnershipsCreated": len(demo_seed.DEMO_PARTNERSHIPS),
    }
    after_first = counts(graph)
    assert demo_seed.seed(graph) == {"organisationsCreated": 0, "partnershipsCreated": 0}
    assert counts(graph) == after_first
    kinds = graph.run("MATCH (o:Organisation:StartUp) RETURN count(o) AS n")[0]["n"]
    assert kinds == 2
