"""Cypher for lab sessions and workshops: fields, facilitating experts, participants."""

from __future__ import annotations

from typing import Any

from civicgraph.core.envelope import AT, created_map
from civicgraph.core.graph import Graph
from civicgraph.core.ordering import by_name

SESSION = (
    "s {.id, .title, .kind, .description, .location, .capacity, .version, "
    "startsAt: toString(s.startsAt), endsAt: toString(s.endsAt), "
    "fields: COLLECT { MATCH (s)-[:IN_FIELD]->(f:Field) WITH f ORDER BY f.code RETURN f.code }, "
    "experts: COLLECT { MATCH (x:Person)-[:FACILITATES]->(s) "
    "  WITH x ORDER BY " + by_name("x.name") + ", x.id "
    "  RETURN x {.id, .name} }, "
    "participantCount: COUNT { (:Person)-[:PARTICIPATES_IN]->(s) }}"
)


def create(graph: Graph, fields: dict[str, Any]) -> dict[str, Any]:
    records = graph.run(
        "CREATE (s:Session {id: $id, title: $title, kind: $kind, description: $description, "
        "  location: $location, capacity: $capacity, startsAt: datetime($startsAt), "
        "  endsAt: datetime($endsAt), createdBy: $actorId, " + created_map(AT) + "}) "
        "WITH s CALL (s) { UNWIND $fieldIds AS fid MATCH (f:Field {id: fid}) "
        "  CREATE (s)-[:IN_FIELD]->(f) RETURN count(*) AS fields } "
        "CALL (s) { UNWIND $expertIds AS xid MATCH (x:Person:Expert {id: xid}) "
        "  CREATE (x)-[:FACILITATES]->(s) RETURN count(*) AS experts } "
        "RETURN " + SESSION + " AS session",
        fields,
        write=True,
    )
    return dict(records[0]["session"])


def experts_among(graph: Graph, ids: list[str]) -> set[str]:
    records = graph.run("UNWIND $ids AS id MATCH (x:Person:Expert {id: id}) RETURN x.id AS id",
                        {"ids": ids})
    return {str(r["id"]) for r in records}


def join(graph: Graph, session_id: str, person_id: str, at: str) -> dict[str, Any] | None:
    """Add a participant under the session's lock, so capacity holds under concurrent joins."""
    records = graph.run(
        "MATCH (s:Session {id: $id}) MATCH (p:Person {id: $person}) "
        "SET s._lock = true REMOVE s._lock "
        "WITH s, p, EXISTS { (p)-[:PARTICIPATES_IN]->(s) } AS already, "
        "  COUNT { (:Person)-[:PARTICIPATES_IN]->(s) } AS taken "
        "WITH s, p, already, taken WHERE already OR s.capacity IS NULL OR taken < s.capacity "
        "MERGE (p)-[r:PARTICIPATES_IN]->(s) ON CREATE SET r.at = datetime($at) "
        "RETURN " + SESSION + " AS session",
        {"id": session_id, "person": person_id, "at": at},
        write=True,
    )
    return dict(records[0]["session"]) if records else None


def exists(graph: Graph, session_id: str) -> bool:
    return bool(graph.run("MATCH (s:Session {id: $id}) RETURN s.id", {"id": session_id}))


def listing(graph: Graph, field_code: str | None, since: str, limit: int) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (s:Session) WHERE s.endsAt >= datetime($since) "
        "  AND ($field IS NULL OR EXISTS { (s)-[:IN_FIELD]->(:Field {code: $field}) }) "
        "WITH s ORDER BY s.startsAt, s.id LIMIT $limit RETURN " + SESSION + " AS session",
        {"field": field_code, "since": since, "limit": limit},
    )
    return [dict(r["session"]) for r in records]


def listing_for(graph: Graph, since: str, limit: int, person_id: str | None
                ) -> list[dict[str, Any]]:
    """Sessions not over yet, soonest first, each saying whether this person registered and
    whether it has a hackathon's page (its projects judged as a challenge's)."""
    records = graph.run(
        "MATCH (s:Session) WHERE s.endsAt >= datetime($since) "
        "WITH s ORDER BY s.startsAt, s.id LIMIT $limit "
        "RETURN " + SESSION + " AS session, "
        "  EXISTS { (:Person {id: $person})-[:PARTICIPATES_IN]->(s) } AS registered, "
        "  EXISTS { (s)-[:JUDGED_AS]->(:Challenge) } AS judged",
        {"since": since, "limit": limit, "person": person_id},
    )
    return [{**dict(r["session"]), "registered": bool(r["registered"]),
             "hackathonPage": bool(r["judged"])} for r in records]


def get(graph: Graph, session_id: str) -> dict[str, Any] | None:
    """A session with its participants (registered and whether they attended)."""
    records = graph.run(
        "MATCH (s:Session {id: $id}) "
        "RETURN " + SESSION + " AS session, COLLECT { "
        "  MATCH (p:Person)-[r:PARTICIPATES_IN]->(s) "
        "  WITH p, r ORDER BY " + by_name("p.name") + ", p.id "
        "  RETURN {id: p.id, name: p.name, attended: coalesce(r.attended, false)} } AS people",
        {"id": session_id},
    )
    if not records:
        return None
    return {**dict(records[0]["session"]), "people": [dict(p) for p in records[0]["people"]]}


def leave(graph: Graph, session_id: str, person_id: str) -> bool:
    """Cancel a registration; False when there was none."""
    records = graph.run(
        "MATCH (:Person {id: $person})-[r:PARTICIPATES_IN]->(:Session {id: $id}) "
        "DELETE r RETURN count(*) AS n",
        {"id": session_id, "person": person_id},
        write=True,
    )
    return bool(records and records[0]["n"])


def record_attendance(graph: Graph, session_id: str, attended: list[str]) -> int:
    """Under the session's lock, who of its registered participants attended (the others did
    not); returns how many attended."""
    records = graph.run(
        "MATCH (s:Session {id: $id}) SET s._lock = true REMOVE s._lock "
        "WITH s MATCH (p:Person)-[r:PARTICIPATES_IN]->(s) "
        "SET r.attended = p.id IN $attended "
        "RETURN count(CASE WHEN r.attended THEN 1 END) AS n",
        {"id": session_id, "attended": attended},
        write=True,
    )
    return int(records[0]["n"]) if records else 0


def field_choices(graph: Graph) -> list[dict[str, Any]]:
    """The fields a session can be in, for a form."""
    records = graph.run("MATCH (f:Field) WITH f ORDER BY f.code "
                        "RETURN f {.code, .name} AS field")
    return [dict(r["field"]) for r in records]

