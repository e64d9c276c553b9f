"""Cypher for ideas: creation with its first history event, similarity search, reads."""

from __future__ import annotations

from typing import Any

from civicgraph.core.envelope import AT, created_map
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher.transitions import first_event

IDEA = (
    "i {.id, .title, .description, .origin, .status, .version, .submittedBy, .organisationId, "
    "createdAt: toString(i.createdAt), updatedAt: toString(i.updatedAt), "
    "mergedInto: COLLECT { MATCH (i)-[:MERGED_INTO]->(t:Idea) RETURN t.id }[0], "
    "becameChallenge: COLLECT { MATCH (c:Challenge)-[:FROM_IDEA]->(i) RETURN c.id }[0], "
    "becameProposal: COLLECT { MATCH (p:Proposal)-[:FROM_IDEA]->(i) RETURN p.id }[0]}"
)


def create(graph: Graph, fields: dict[str, Any]) -> dict[str, Any]:
    records = graph.run(
        "CREATE (i:Idea {id: $id, title: $title, description: $description, origin: $origin, "
        "  status: 'SUBMITTED', submittedBy: $actorId, organisationId: $organisationId, "
        "  " + created_map(AT) + "}) "
        + first_event("i", "IDEA")
        + "WITH i OPTIONAL MATCH (p:Person {id: $actorId}) "
        "FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (i)-[:SUBMITTED_BY]->(p)) "
        "RETURN " + IDEA + " AS idea",
        fields,
        write=True,
    )
    return dict(records[0]["idea"])


def similar(graph: Graph, lucene_query: str, limit: int) -> list[dict[str, Any]]:
    """Ideas whose title or description match the words of a new one, best first."""
    records = graph.run(
        "CALL db.index.fulltext.queryNodes('idea_text', $q, {limit: $limit}) "
        "YIELD node, score "
        "RETURN node {.id, .title, .status} AS idea, score ORDER BY score DESC, node.id",
        {"q": lucene_query, "limit": limit},
    )
    return [{**dict(r["idea"]), "score": round(float(r["score"]), 4)} for r in records]


def get(graph: Graph, idea_id: str) -> dict[str, Any] | None:
    records = graph.run("MATCH (i:Idea {id: $id}) RETURN " + IDEA + " AS idea", {"id": idea_id})
    return dict(records[0]["idea"]) if records else None


def list_all(graph: Graph, status: str | None, limit: int) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (i:Idea) WHERE $status IS NULL OR i.status = $status "
        "WITH i ORDER BY i.createdAt DESC, i.id LIMIT $limit RETURN " + IDEA + " AS idea",
        {"status": status, "limit": limit},
    )
    return [dict(r["idea"]) for r in records]
