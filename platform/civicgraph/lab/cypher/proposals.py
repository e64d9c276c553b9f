"""Cypher for proposals and the teams that send them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicgraph.core.envelope import AT, created_map, touched
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import rules
from civicgraph.lab.cypher.transitions import events_of, first_event

PROPOSAL = (
    "p {.id, .title, .summary, .status, .version, .createdBy, "
    "createdAt: toString(p.createdAt), updatedAt: toString(p.updatedAt), "
    "challengeId: COLLECT { MATCH (p)-[:RESPONDS_TO]->(c:Challenge) RETURN c.id }[0], "
    "proposer: COLLECT { MATCH (p)-[:SUBMITTED_BY]->(o) "
    "  RETURN {id: o.id, name: o.name, kind: CASE WHEN o:Team THEN 'TEAM' "
    "    ELSE 'ORGANISATION' END} }[0]}"
)


def create(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Create a draft in answer to a challenge that takes proposals; None otherwise."""
    records = graph.run(
        "MATCH (c:Challenge {id: $challengeId}) "
        "WHERE " + rules.takes_proposals("c", "at") + " "
        "CALL () { MATCH (o:Organisation {id: $ownerId}) RETURN o AS owner "
        "  UNION MATCH (t:Team {id: $ownerId}) RETURN t AS owner } "
        "CREATE (p:Proposal {id: $id, title: $title, summary: $summary, status: 'DRAFT', "
        "  createdBy: $actorId, " + created_map(AT) + "}) "
        "CREATE (p)-[:RESPONDS_TO]->(c) CREATE (p)-[:SUBMITTED_BY]->(owner) "
        + first_event("p", "PROPOSAL")
        + "RETURN " + PROPOSAL + " AS proposal",
        fields,
        write=True,
    )
    return dict(records[0]["proposal"]) if records else None


def update(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Edit while the proposal is editable and its challenge takes proposals; None when refused."""
    records = graph.run(
        "MATCH (p:Proposal {id: $id})-[:RESPONDS_TO]->(c:Challenge) "
        "SET p._lock = true REMOVE p._lock "
        "WITH p, c WHERE p.version = $version AND p.status IN $proposalEditable "
        "  AND " + rules.takes_proposals("c", "at") + " "
        "SET p.title = coalesce($title, p.title), p.summary = coalesce($summary, p.summary), "
        "  " + touched("p", AT) + " "
        "RETURN " + PROPOSAL + " AS proposal",
        fields,
        write=True,
    )
    return dict(records[0]["proposal"]) if records else None


def edit_state(graph: Graph, proposal_id: str) -> dict[str, Any] | None:
    """Why an edit was refused: the proposal's and its challenge's state."""
    records = graph.run(
        "MATCH (p:Proposal {id: $id})-[:RESPONDS_TO]->(c:Challenge) "
        "RETURN p.version AS version, p.status AS status, c.status AS challengeStatus, "
        "toString(c.deadline) AS deadline",
        {"id": proposal_id},
    )
    return dict(records[0]) if records else None


def get(graph: Graph, proposal_id: str) -> dict[str, Any] | None:
    records = graph.run("MATCH (p:Proposal {id: $id}) RETURN " + PROPOSAL + " AS proposal",
                        {"id": proposal_id})
    return dict(records[0]["proposal"]) if records else None


def for_challenge(graph: Graph, challenge_id: str,
                  sets: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """The proposals sent to a challenge, oldest first."""
    records = graph.run(
        "MATCH (p:Proposal)-[:RESPONDS_TO]->(:Challenge {id: $id}) WHERE p.status IN $proposalSent "
        "WITH p ORDER BY p.createdAt, p.id RETURN " + PROPOSAL + " AS proposal",
        {**sets, "id": challenge_id},
    )
    return [dict(r["proposal"]) for r in records]


def create_team(graph: Graph, fields: dict[str, Any]) -> dict[str, Any]:
    records = graph.run(
        "CREATE (t:Team {id: $id, name: $name, " + created_map(AT) + "}) "
        "WITH t CALL (t) { UNWIND $memberIds AS mid MATCH (m:Person {id: mid}) "
        "  CREATE (m)-[:MEMBER_OF {role: $role}]->(t) RETURN collect(m.id) AS members } "
        "RETURN t {.id, .name, members: members} AS team",
        fields,
        write=True,
    )
    return dict(records[0]["team"])


def is_team_member(graph: Graph, team_id: str, person_id: str) -> bool:
    records = graph.run(
        "RETURN EXISTS { (:Person {id: $person})-[:MEMBER_OF]->(:Team {id: $team}) } AS member",
        {"team": team_id, "person": person_id},
    )
    return bool(records[0]["member"])


def of_person(graph: Graph, person_id: str, organisation_id: str | None, limit: int
              ) -> list[dict[str, Any]]:
    """The proposals a person may follow as theirs: those of the organisation they act for,
    of their teams, and those they wrote; newest first, each with its challenge and history."""
    records = graph.run(
        "CALL () { "
        "  MATCH (p:Proposal)-[:SUBMITTED_BY]->(:Organisation {id: $organisation}) RETURN p "
        "  UNION MATCH (p:Proposal)-[:SUBMITTED_BY]->(:Team)<-[:MEMBER_OF]-(:Person {id: $person}) "
        "  RETURN p "
        "  UNION MATCH (p:Proposal {createdBy: $person}) RETURN p } "
        "WITH p ORDER BY p.createdAt DESC, p.id LIMIT $limit "
        "MATCH (p)-[:RESPONDS_TO]->(c:Challenge) "
        "RETURN " + PROPOSAL + " AS proposal, c {.id, .title, .status, "
        "  deadline: toString(c.deadline)} AS challenge, " + events_of("p") + " AS events",
        {"person": person_id, "organisation": organisation_id, "limit": limit},
    )
    return [{**dict(r["proposal"]), "challenge": dict(r["challenge"]),
             "events": [dict(e) for e in r["events"]]} for r in records]


def organisation_name(graph: Graph, organisation_id: str) -> str | None:
    records = graph.run("MATCH (o:Organisation {id: $id}) RETURN o.name AS name",
                        {"id": organisation_id})
    return str(records[0]["name"]) if records else None
