"""Cypher for people's accounts: a ``Person`` with role labels and a password hash."""

from __future__ import annotations

from typing import Any

from neo4j.exceptions import ConstraintError

from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph

_ROLE_LABELS = ["Citizen", "Expert", "LabStaff", "Participant", "Admin"]
_PERSON = (
    "p {.id, .name, .email, .region, .passwordHash, "
    "roleLabels: [l IN labels(p) WHERE l IN $roleLabels]}"
)


def create(graph: Graph, fields: dict[str, Any], labels: list[str]) -> dict[str, Any]:
    try:
        records = graph.run(
            "CREATE (p:Person {id: $id, name: $name, email: $email, region: $region, "
            "passwordHash: $passwordHash, createdAt: datetime(), updatedAt: datetime(), "
            "version: 1}) SET p:$($labels) RETURN " + _PERSON + " AS person",
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
        "ON CREATE SET p.id = $id, p.name = $name, p.region = $region, "
        "p.passwordHash = $passwordHash, p.createdAt = datetime(), p.updatedAt = datetime(), "
        "p.version = 1, p._new = true "
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


def attach_demo_profile(graph: Graph, email: str) -> None:
    """Skills and an occupation for the demo citizen (ESCO-style URIs); adds nothing twice."""
    graph.run(
        "MATCH (p:Person {email: $email}) "
        "MERGE (s1:Skill {uri: 'http://data.europa.eu/esco/skill/demo-welding'}) "
        "  ON CREATE SET s1.id = randomUUID(), s1.name = 'weld metal parts' "
        "MERGE (s2:Skill {uri: 'http://data.europa.eu/esco/skill/demo-blueprints'}) "
        "  ON CREATE SET s2.id = randomUUID(), s2.name = 'read blueprints' "
        "MERGE (o:Occupation {uri: 'http://data.europa.eu/esco/occupation/demo-welder'}) "
        "  ON CREATE SET o.id = randomUUID(), o.code = '7212', o.name = 'welder' "
        "MERGE (p)-[:HAS_SKILL]->(s1) MERGE (p)-[:HAS_SKILL]->(s2) "
        "MERGE (p)-[:HAS_OCCUPATION]->(o)",
        {"email": email},
        write=True,
    )
