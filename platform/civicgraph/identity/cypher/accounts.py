"""Cypher for people's accounts: a ``Person`` with role labels and a password hash."""

from __future__ import annotations

from typing import Any

from neo4j.exceptions import ConstraintError

from civicgraph.core.access import ROLE_LABELS
from civicgraph.core.envelope import created, created_map
from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

_ROLE_LABELS = list(ROLE_LABELS.values())
_PERSON = (
    "p {.id, .name, .email, .region, .passwordHash, "
    "roleLabels: [l IN labels(p) WHERE l IN $roleLabels], "
    # The organisations the person belongs to (MEMBER_OF, with their role in each), so a
    # token can say which one they act for.
    "memberships: COLLECT { MATCH (p)-[m:MEMBER_OF]->(o:Organisation) WITH o, m "
    "  ORDER BY o.name, o.id RETURN {organisationId: o.id, name: o.name, "
    "  role: coalesce(m.role, 'MEMBER')} }}"
)


def create(graph: Graph, fields: dict[str, Any], labels: list[str]) -> dict[str, Any]:
    try:
        records = graph.run(
            "CREATE (p:Person {id: $id, name: $name, email: $email, region: $region, "
            "passwordHash: $passwordHash, " + created_map() + "}) "
            "SET p:$($labels) RETURN " + _PERSON + " AS person",
            {**fields, "labels": labels, "roleLabels": _ROLE_LABELS},
            write=True,
        )
    except ConstraintError as exc:
        raise Conflict("an account with this email already exists") from exc
    return dict(records[0]["person"])


def upsert(graph: Graph, fields: dict[str, Any], labels: list[str]) -> bool:
    """Create the account unless the email is taken; True when created (demo seeding)."""
    records = graph.run(
        "MERGE (p:Person {email: $email}) "
        "ON CREATE SET p.name = $name, p.region = $region, p.passwordHash = $passwordHash, "
        + created("p", id="$id") + ", p._new = true "
        "SET p:$($labels) "
        "WITH p, coalesce(p._new, false) AS created REMOVE p._new RETURN created",
        {**fields, "labels": labels},
        write=True,
    )
    return bool(records[0]["created"])


def by_email(graph: Graph, email: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:Person {email: $email}) RETURN " + _PERSON + " AS person",
        {"email": email, "roleLabels": _ROLE_LABELS},
    )
    return dict(records[0]["person"]) if records else None


def by_id(graph: Graph, person_id: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:Person {id: $id}) RETURN " + _PERSON + " AS person",
        {"id": person_id, "roleLabels": _ROLE_LABELS},
    )
    return dict(records[0]["person"]) if records else None


# The skills and the occupation are the partner graph's records, made by its writers.
_DEMO_PROFILE = (
    "MATCH (p:Person {email: $email}) "
    "CALL (p) { UNWIND $skills AS s "
    + writers.merge("Skill", "k", "uri", "s.uri", props="s", id="randomUUID()")
    + "MERGE (p)-[:HAS_SKILL]->(k) } "
    "CALL (p) { WITH $occupation AS o "
    + writers.merge("Occupation", "k", "uri", "o.uri", props="o", id="randomUUID()")
    + "MERGE (p)-[:HAS_OCCUPATION]->(k) }"
)


def attach_demo_profile(graph: Graph, email: str, skills: list[dict[str, str]],
                        occupation: dict[str, str]) -> None:
    """Skills (uri, name) and an occupation (uri, code, name) for the demo citizen; adds
    nothing twice, and a skill or occupation already in the graph keeps its properties."""
    graph.run(_DEMO_PROFILE, {"email": email, "skills": skills, "occupation": occupation},
              write=True)


def add_membership(graph: Graph, email: str, organisation_key: str, role: str) -> bool:
    """The person belongs to the organisation (by name key) with this role; True when new."""
    records = graph.run(
        "MATCH (p:Person {email: $email}) MATCH (o:Organisation {nameKey: $key}) "
        "OPTIONAL MATCH (p)-[old:MEMBER_OF]->(o) "
        "MERGE (p)-[m:MEMBER_OF]->(o) ON CREATE SET m.since = datetime() "
        "SET m.role = $role RETURN old IS NULL AS made",
        {"email": email, "key": organisation_key, "role": role},
        write=True,
    )
    return bool(records and records[0]["made"])
