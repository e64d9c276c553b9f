"""Cypher for ideas: creation with its first history event, similarity search, reads."""

from __future__ import annotations

from typing import Any

from civicgraph.compiler.domains.lab import IDEA as IDEA_RECORD
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.envelope import AT, created_map
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher.transitions import events_of, first_event

IDEA = (
    "i {.id, .title, .description, .origin, .status, .version, .submittedBy, .organisationId, "
    "createdAt: toString(i.createdAt), updatedAt: toString(i.updatedAt), "
    "mergedInto: COLLECT { MATCH (i)-[:MERGED_INTO]->(t:Idea) RETURN t.id }[0], "
    "becameChallenge: COLLECT { MATCH (c:Challenge)-[:FROM_IDEA]->(i) RETURN c.id }[0], "
    "becameProposal: COLLECT { MATCH (p:Proposal)-[:FROM_IDEA]->(i) RETURN p.id }[0]}"
)

_SEEN = IDEA_RECORD.guard.replace("{v}", "node")
_SEEN_CONSTANTS = {name: list(values) for name, values in IDEA_RECORD.params}


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


def similar(graph: Graph, lucene_query: str, limit: int,
            reader: Visibility) -> list[dict[str, Any]]:
    """Ideas whose title or description match the words of a new one, best first, among those
    ``reader`` may see: the model's guard of Idea filters before the limit, so an idea the
    reader may not see is neither listed nor takes a place of one they may."""
    records = graph.run(
        "CALL db.index.fulltext.queryNodes('idea_text', $q) YIELD node, score "
        "WHERE " + _SEEN + " "
        "WITH node, score ORDER BY score DESC, node.id LIMIT $limit "
        "RETURN node {.id, .title, .status} AS idea, score",
        {**_SEEN_CONSTANTS, **reader.params(), "q": lucene_query, "limit": limit},
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


def submitted_by(graph: Graph, person_id: str, limit: int) -> list[dict[str, Any]]:
    """The ideas a person sent, newest first, each with its history (moves and the reasons
    given), so the person can follow what became of them."""
    records = graph.run(
        "MATCH (i:Idea)-[:SUBMITTED_BY]->(:Person {id: $person}) "
        "WITH i ORDER BY i.createdAt DESC, i.id LIMIT $limit "
        "RETURN " + IDEA + " AS idea, " + events_of("i") + " AS events",
        {"person": person_id, "limit": limit},
    )
    return [{**dict(r["idea"]), "events": [dict(e) for e in r["events"]]} for r in records]
