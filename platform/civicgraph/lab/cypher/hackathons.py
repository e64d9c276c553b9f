"""Cypher for hackathons: a Session of kind HACKATHON with its kits (``DataKit`` nodes, the kits
domain's, matched by name), its judging challenge, the teams formed for it and their projects.

Kits are only read here (matched by ``name``), never written: the catalogue is the kits domain's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.core.ordering import by_name
from civicgraph.lab.cypher.sessions import SESSION

KITS = ("COLLECT { MATCH ({v})-[:USES_KIT]->({v}_kit:DataKit) WITH {v}_kit "
        "ORDER BY {v}_kit.name RETURN {v}_kit.name }")

PROJECT = (
    "p {.id, .title, .summary, .status, .version, .repositoryUrl, .demoUrl, "
    "kits: " + KITS.replace("{v}", "p") + ", "
    "team: COLLECT { MATCH (p)-[:SUBMITTED_BY]->(pt:Team) RETURN pt {.id, .name} }[0]}"
)


def kits_among(graph: Graph, names: list[str]) -> set[str]:
    records = graph.run("UNWIND $names AS name MATCH (k:DataKit {name: name}) "
                        "RETURN k.name AS name", {"names": names})
    return {str(r["name"]) for r in records}


def kit_names(graph: Graph) -> list[str]:
    records = graph.run("MATCH (k:DataKit) RETURN k.name AS name ORDER BY name")
    return [str(r["name"]) for r in records]


def kits_of(graph: Graph, session_id: str) -> list[str]:
    records = graph.run("MATCH (:Session {id: $id})-[:USES_KIT]->(k:DataKit) "
                        "RETURN k.name AS name ORDER BY name", {"id": session_id})
    return [str(r["name"]) for r in records]


def make_hackathon(graph: Graph, fields: dict[str, Any]) -> None:
    """Give a new session its rules, deadline, kits and judging challenge."""
    graph.run(
        "MATCH (s:Session {id: $sessionId}) MATCH (c:Challenge {id: $challengeId}) "
        "SET s.rules = $rules "
        "CREATE (s)-[:JUDGED_AS]->(c) "
        "WITH s CALL (s) { UNWIND $kits AS name MATCH (k:DataKit {name: name}) "
        "  CREATE (s)-[:USES_KIT]->(k) RETURN count(*) AS kits } "
        "RETURN s.id",
        fields,
        write=True,
    )


def get(graph: Graph, session_id: str, kind: str, sets: Mapping[str, list[str]],
        person_id: str | None) -> dict[str, Any] | None:
    """The hackathon as its page shows it: the session, rules, kits, its challenge, its teams
    (named, with how many members) and the projects sent, with whether this person registered
    and which of its teams is theirs."""
    records = graph.run(
        "MATCH (s:Session {id: $id, kind: $kind})-[:JUDGED_AS]->(c:Challenge) "
        "RETURN " + SESSION + " AS session, s.rules AS rules, "
        "  toString(c.deadline) AS submissionDeadline, "
        "  " + KITS.replace("{v}", "s") + " AS kits, "
        "  c {.id, .status, .version, deadline: toString(c.deadline)} AS challenge, "
        "  COLLECT { MATCH (t:Team)-[:FORMED_FOR]->(s) "
        "    WITH t ORDER BY " + by_name("t.name") + ", t.id "
        "    RETURN t {.id, .name, members: COUNT { (:Person)-[:MEMBER_OF]->(t) }} } AS teams, "
        "  COLLECT { MATCH (p:Proposal)-[:RESPONDS_TO]->(c) WHERE p.status IN $proposalSent "
        "    WITH p ORDER BY " + by_name("p.title") + ", p.id RETURN " + PROJECT + " } "
        "    AS projects, "
        "  EXISTS { (:Person {id: $person})-[:PARTICIPATES_IN]->(s) } AS registered, "
        "  COLLECT { MATCH (:Person {id: $person})-[:MEMBER_OF]->(t:Team)-[:FORMED_FOR]->(s) "
        "    RETURN t {.id, .name, members: COLLECT { MATCH (m:Person)-[:MEMBER_OF]->(t) "
        "      WITH m ORDER BY " + by_name("m.name") + ", m.id RETURN m.name }, "
        "      project: COLLECT { MATCH (p:Proposal)-[:SUBMITTED_BY]->(t) "
        "        WHERE (p)-[:RESPONDS_TO]->(c) RETURN " + PROJECT + " }[0]} }[0] AS myTeam",
        {**sets, "id": session_id, "kind": kind, "person": person_id},
    )
    if not records:
        return None
    r = records[0]
    return {**dict(r["session"]), "rules": r["rules"] or "",
            "submissionDeadline": r["submissionDeadline"], "kits": list(r["kits"]),
            "challenge": dict(r["challenge"]), "teams": [dict(t) for t in r["teams"]],
            "projects": [dict(p) for p in r["projects"]], "registered": bool(r["registered"]),
            "myTeam": dict(r["myTeam"]) if r["myTeam"] is not None else None}


def listing(graph: Graph, kind: str, limit: int) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (s:Session {kind: $kind})-[:JUDGED_AS]->(c:Challenge) "
        "WITH s, c ORDER BY s.startsAt DESC, s.id LIMIT $limit "
        "RETURN " + SESSION + " AS session, toString(c.deadline) AS deadline",
        {"kind": kind, "limit": limit},
    )
    return [{**dict(r["session"]), "submissionDeadline": r["deadline"]} for r in records]


def standing(graph: Graph, session_id: str, kind: str, person_id: str) -> dict[str, Any] | None:
    """Under the hackathon's lock (so two teams cannot take the same person at once): its
    challenge, whether the person registered, and the team of it they are already in."""
    records = graph.run(
        "MATCH (s:Session {id: $id, kind: $kind})-[:JUDGED_AS]->(c:Challenge) "
        "SET s._lock = true REMOVE s._lock "
        "RETURN c.id AS challengeId, "
        "  EXISTS { (:Person {id: $person})-[:PARTICIPATES_IN]->(s) } AS registered, "
        "  COLLECT { MATCH (:Person {id: $person})-[:MEMBER_OF]->(t:Team)-[:FORMED_FOR]->(s) "
        "    RETURN t.name }[0] AS team, " + KITS.replace("{v}", "s") + " AS kits",
        {"id": session_id, "kind": kind, "person": person_id},
        write=True,
    )
    return dict(records[0]) if records else None


def team_hackathon(graph: Graph, team_id: str) -> str | None:
    records = graph.run("MATCH (:Team {id: $id})-[:FORMED_FOR]->(s:Session) RETURN s.id AS id",
                        {"id": team_id})
    return str(records[0]["id"]) if records else None


def proposal_hackathon(graph: Graph, proposal_id: str) -> str | None:
    records = graph.run(
        "MATCH (:Proposal {id: $id})-[:RESPONDS_TO]->(:Challenge)<-[:JUDGED_AS]-(s:Session) "
        "RETURN s.id AS id", {"id": proposal_id})
    return str(records[0]["id"]) if records else None


def form_for(graph: Graph, team_id: str, session_id: str) -> None:
    graph.run("MATCH (t:Team {id: $team}) MATCH (s:Session {id: $id}) "
              "CREATE (t)-[:FORMED_FOR]->(s)", {"team": team_id, "id": session_id}, write=True)


def add_member(graph: Graph, team_id: str, person_id: str, role: str, at: str) -> None:
    graph.run("MATCH (t:Team {id: $team}) MATCH (p:Person {id: $person}) "
              "MERGE (p)-[r:MEMBER_OF]->(t) ON CREATE SET r.role = $role, r.at = datetime($at)",
              {"team": team_id, "person": person_id, "role": role, "at": at}, write=True)


def team_project(graph: Graph, team_id: str, challenge_id: str) -> str | None:
    records = graph.run(
        "MATCH (p:Proposal)-[:SUBMITTED_BY]->(:Team {id: $team}) "
        "WHERE (p)-[:RESPONDS_TO]->(:Challenge {id: $challenge}) RETURN p.id AS id",
        {"team": team_id, "challenge": challenge_id})
    return str(records[0]["id"]) if records else None


def set_project(graph: Graph, fields: dict[str, Any]) -> None:
    """A project's links and kits, written in the transaction of the proposal's own create or
    update (which moves its version), so they are one edit with its title and summary."""
    graph.run(
        "MATCH (p:Proposal {id: $id}) "
        "SET p.repositoryUrl = $repositoryUrl, p.demoUrl = $demoUrl "
        "WITH p CALL (p) { OPTIONAL MATCH (p)-[old:USES_KIT]->(:DataKit) DELETE old } "
        "WITH p CALL (p) { UNWIND $kits AS name MATCH (k:DataKit {name: name}) "
        "  CREATE (p)-[:USES_KIT]->(k) RETURN count(*) AS kits } "
        "RETURN p.id",
        fields,
        write=True,
    )


def project(graph: Graph, proposal_id: str) -> dict[str, Any] | None:
    records = graph.run("MATCH (p:Proposal {id: $id}) RETURN " + PROJECT + " AS project",
                        {"id": proposal_id})
    return dict(records[0]["project"]) if records else None

