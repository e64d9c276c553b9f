"""Cypher for challenges: creation with fields and rubric (Criterion nodes), edits, reads.

Every statement that returns a challenge counts its sent proposals, so each takes the proposal
lifecycle's ``$proposalSent`` among its ``sets``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, LiteralString

from civicgraph.core.envelope import AT, created_map, touched
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import rules
from civicgraph.lab.cypher.transitions import first_event

CHALLENGE = (
    "c {.id, .title, .description, .eligibility, .status, .version, .createdBy, "
    "deadline: toString(c.deadline), createdAt: toString(c.createdAt), "
    "updatedAt: toString(c.updatedAt), "
    "postedBy: COLLECT { MATCH (c)-[:POSTED_BY]->(o:Organisation) RETURN o {.id, .name} }[0], "
    "fields: COLLECT { MATCH (c)-[:IN_FIELD]->(f:Field) RETURN f {.id, .code, .name} "
    "  ORDER BY f.code }, "
    "criteria: COLLECT { MATCH (c)-[:HAS_CRITERION]->(k:Criterion) "
    "  RETURN k {.id, .name, .weight, .description, .position} ORDER BY k.position }, "
    "fromIdea: COLLECT { MATCH (c)-[:FROM_IDEA]->(i:Idea) RETURN i.id }[0], "
    "proposalCount: COUNT { (p:Proposal)-[:RESPONDS_TO]->(c) WHERE p.status IN $proposalSent }}"
)


def fields_by_code(graph: Graph, codes: list[str]) -> dict[str, str]:
    records = graph.run(
        "UNWIND $codes AS code MATCH (f:Field {code: code}) RETURN f.code AS code, f.id AS id",
        {"codes": codes},
    )
    return {r["code"]: r["id"] for r in records}


def create(graph: Graph, fields: dict[str, Any]) -> dict[str, Any]:
    records = graph.run(
        "CREATE (c:Challenge {id: $id, title: $title, description: $description, "
        "  eligibility: $eligibility, deadline: datetime($deadline), status: 'DRAFT', "
        "  createdBy: $actorId, " + created_map(AT) + "}) "
        + first_event("c", "CHALLENGE")
        + "WITH c "
        "CALL (c) { UNWIND $fieldIds AS fid MATCH (f:Field {id: fid}) "
        "  CREATE (c)-[:IN_FIELD]->(f) RETURN count(*) AS linked } "
        "CALL (c) { UNWIND $criteria AS k "
        "  CREATE (c)-[:HAS_CRITERION]->(:Criterion {id: k.id, name: k.name, weight: k.weight, "
        "    description: k.description, position: k.position, " + created_map(AT) + "}) "
        "    RETURN count(*) AS criteria } "
        "CALL (c) { OPTIONAL MATCH (o:Organisation {id: $organisationId}) "
        "  FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | CREATE (c)-[:POSTED_BY]->(o)) "
        "  RETURN count(*) AS posted } "
        "RETURN " + CHALLENGE + " AS challenge",
        fields,
        write=True,
    )
    return dict(records[0]["challenge"])


# An edit that names no change (the service leaves out what equals the challenge read) keeps
# the version: the statement still checks the version and status, so a stale form is refused.
_NO_CHANGE: LiteralString = (
    "$description IS NULL AND $eligibility IS NULL AND $deadline IS NULL "
    "AND $fieldIds IS NULL AND $criteria IS NULL")


def update(graph: Graph, challenge_id: str, version: int, changes: dict[str, Any],
           at: str, sets: Mapping[str, list[str]]) -> dict[str, Any] | None:
    """Edit an editable challenge; None when the version or status moved on."""
    records = graph.run(
        "MATCH (c:Challenge {id: $id}) SET c._lock = true REMOVE c._lock "
        "WITH c WHERE c.version = $version AND c.status IN $challengeEditable "
        "SET c.description = coalesce($description, c.description), "
        "  c.eligibility = coalesce($eligibility, c.eligibility), "
        "  c.deadline = coalesce(datetime($deadline), c.deadline), "
        "  " + touched("c", AT, unless=_NO_CHANGE) + " "
        "WITH c "
        "CALL (c) { WITH c WHERE $fieldIds IS NOT NULL "
        "  OPTIONAL MATCH (c)-[old:IN_FIELD]->(:Field) DELETE old "
        "  WITH DISTINCT c UNWIND $fieldIds AS fid MATCH (f:Field {id: fid}) "
        "  MERGE (c)-[:IN_FIELD]->(f) RETURN count(*) AS fields } "
        "CALL (c) { WITH c WHERE $criteria IS NOT NULL AND c.status IN $challengeRubricEditable "
        "  OPTIONAL MATCH (c)-[:HAS_CRITERION]->(old:Criterion) DETACH DELETE old "
        "  WITH DISTINCT c UNWIND $criteria AS k "
        "  CREATE (c)-[:HAS_CRITERION]->(:Criterion {id: k.id, name: k.name, weight: k.weight, "
        "    description: k.description, position: k.position, " + created_map(AT) + "}) "
        "    RETURN count(*) AS criteria } "
        "RETURN " + CHALLENGE + " AS challenge",
        {**sets, "id": challenge_id, "version": version, "at": at, "description": None,
         "eligibility": None, "deadline": None, "fieldIds": None, "criteria": None, **changes},
        write=True,
    )
    return dict(records[0]["challenge"]) if records else None


def get(graph: Graph, challenge_id: str, sets: Mapping[str, list[str]]) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (c:Challenge {id: $id}) RETURN " + CHALLENGE + " AS challenge",
        {**sets, "id": challenge_id},
    )
    return dict(records[0]["challenge"]) if records else None


def proposal_window(graph: Graph, challenge_id: str, at: str,
                    sets: Mapping[str, list[str]]) -> dict[str, Any] | None:
    """Whether the challenge takes proposals at ``at``, with what decides it."""
    records = graph.run(
        "MATCH (c:Challenge {id: $id}) RETURN c.status AS status, "
        "toString(c.deadline) AS deadline, " + rules.takes_proposals("c", "at") + " AS taking",
        {**sets, "id": challenge_id, "at": at},
    )
    return dict(records[0]) if records else None


def list_by_status(graph: Graph, statuses: list[str], limit: int,
                   sets: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (c:Challenge) WHERE c.status IN $statuses "
        "WITH c ORDER BY c.deadline, c.id LIMIT $limit RETURN " + CHALLENGE + " AS challenge",
        {**sets, "statuses": statuses, "limit": limit},
    )
    return [dict(r["challenge"]) for r in records]


def due_for_evaluation(graph: Graph, now: str,
                       sets: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """Challenges still taking proposals past their deadline, with the version the scheduler
    must name."""
    records = graph.run(
        "MATCH (c:Challenge) WHERE " + rules.challenge_open("c") + " AND "
        + rules.past_deadline("c", "now") + " "
        "RETURN c.id AS id, c.version AS version ORDER BY c.deadline, c.id",
        {**sets, "now": now},
    )
    return [dict(r) for r in records]
