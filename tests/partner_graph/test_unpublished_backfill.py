"""Migration V101 labels the records already synced only from TEST-mode platforms, so the
label-based visibility rule holds for a graph that was synced before it existed."""

from __future__ import annotations

from civicgraph.core.graph import Graph
from graph_schema.migrator import discover_migrations


def test_the_backfill_hides_exactly_the_records_with_no_production_source(graph: Graph) -> None:
    graph.run(
        "CREATE (t:PartnerPlatform {id: 't', name: 'trial', mode: 'TEST'}), "
        "(p:PartnerPlatform {id: 'p', name: 'live', mode: 'PRODUCTION'}), "
        "(:Vacancy {id: 'only-test', title: 'A'})-[:SOURCED_FROM]->(t), "
        "(both:Vacancy {id: 'both', title: 'B'})-[:SOURCED_FROM]->(t), "
        "(both)-[:SOURCED_FROM]->(p), "
        "(:Organisation {id: 'org-test', name: 'C'})-[:SOURCED_FROM]->(t), "
        "(:Organisation {id: 'unsourced', name: 'D', partnerCount: 7})", write=True)
    (migration,) = [m for m in discover_migrations() if m.version == 101]
    for statement in migration.statements:
        graph.run(statement, write=True)
    hidden = graph.run("MATCH (n:Unpublished) RETURN n.id AS id ORDER BY id")
    assert [r["id"] for r in hidden] == ["only-test", "org-test"]
    stored = graph.run("MATCH (o:Organisation {id: 'unsourced'}) RETURN o.partnerCount AS c")
    assert stored[0]["c"] is None
