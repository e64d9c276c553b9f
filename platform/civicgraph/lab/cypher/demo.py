"""Cypher for the lab's demo: fields and experts' fields (owned by the partner graph elsewhere)."""

from __future__ import annotations

from civicgraph.core.envelope import AT
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers


def ensure_field(graph: Graph, code: str, name: str, field_id: str, at: str) -> None:
    graph.run(
        writers.merge("Field", "f", "code", "$code", props="{id: $id, name: $name}", at=AT),
        {"code": code, "name": name, "id": field_id, "at": at},
        write=True,
    )


def link_person(graph: Graph, email: str, field_code: str | None,
                organisation_id: str | None) -> None:
    """The person becomes expert in the field and/or a member of the organisation (idempotent)."""
    graph.run(
        "MATCH (p:Person {email: $email}) "
        "OPTIONAL MATCH (f:Field {code: $field}) OPTIONAL MATCH (o:Organisation {id: $org}) "
        "FOREACH (_ IN CASE WHEN f IS NULL THEN [] ELSE [1] END | MERGE (p)-[:EXPERT_IN]->(f)) "
        "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (p)-[:MEMBER_OF]->(o))",
        {"email": email, "field": field_code, "org": organisation_id},
        write=True,
    )


def challenge_titled(graph: Graph, title: str) -> str | None:
    records = graph.run("MATCH (c:Challenge {title: $title}) RETURN c.id AS id LIMIT 1",
                        {"title": title})
    return str(records[0]["id"]) if records else None
