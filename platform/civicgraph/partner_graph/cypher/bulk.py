"""Batched ``UNWIND`` upserts for the generator and the demo seed.

Every node is merged on its key (id, or code/uri for the vocabulary) and every relationship with
MERGE, so running a batch twice changes nothing; each call returns how many nodes it created.
"""

from __future__ import annotations

from typing import Any

from civicgraph.core.graph import Graph

_CREATED = ("WITH n, row, coalesce(n._new, false) AS created REMOVE n._new "
            "WITH n, row, created ")


def _count(records: list[Any]) -> int:
    return int(records[0]["created"]) if records else 0


def fields(graph: Graph, rows: list[dict[str, Any]]) -> int:
    return _count(graph.run(
        "UNWIND $rows AS row MERGE (n:Field {code: row.code}) "
        "ON CREATE SET n.id = row.id, n.name = row.name, n.createdAt = datetime(), "
        "n.updatedAt = datetime(), n.version = 1, n._new = true "
        + _CREATED + "RETURN count(CASE WHEN created THEN 1 END) AS created",
        {"rows": rows}, write=True))


def skills(graph: Graph, rows: list[dict[str, Any]]) -> int:
    return _count(graph.run(
        "UNWIND $rows AS row MERGE (n:Skill {uri: row.uri}) "
        "ON CREATE SET n.id = row.id, n.name = row.name, n.createdAt = datetime(), "
        "n.updatedAt = datetime(), n.version = 1, n._new = true "
        + _CREATED + "RETURN count(CASE WHEN created THEN 1 END) AS created",
        {"rows": rows}, write=True))


def occupations(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: uri, id, code, name, skills (URIs it needs)."""
    return _count(graph.run(
        "UNWIND $rows AS row MERGE (n:Occupation {uri: row.uri}) "
        "ON CREATE SET n.id = row.id, n.code = row.code, n.name = row.name, "
        "n.createdAt = datetime(), n.updatedAt = datetime(), n.version = 1, n._new = true "
        + _CREATED +
        "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
        "MERGE (n)-[:NEEDS_SKILL {essential: true}]->(s) } "
        "RETURN count(CASE WHEN created THEN 1 END) AS created",
        {"rows": rows}, write=True))


def organisations(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: id, label, props (name, nameKey, kind, region, description...), fields, skills."""
    return _count(graph.run(
        "UNWIND $rows AS row MERGE (n:Organisation {nameKey: row.props.nameKey}) "
        "ON CREATE SET n += row.props, n.id = row.id, n.createdAt = datetime(), "
        "n.updatedAt = datetime(), n.version = 1, n._new = true "
        "SET n:$(row.label) "
        + _CREATED +
        "CALL (n, row) { UNWIND row.fields AS code MATCH (f:Field {code: code}) "
        "MERGE (n)-[:IN_FIELD]->(f) } "
        "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
        "MERGE (n)-[:HAS_SKILL]->(s) } "
        "RETURN count(CASE WHEN created THEN 1 END) AS created",
        {"rows": rows}, write=True))


def partnerships(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: a, b (ids), since; a pair linked either way already is left alone."""
    records = graph.run(
        "UNWIND $rows AS row MATCH (a:Organisation {id: row.a}) MATCH (b:Organisation {id: row.b}) "
        "WITH a, b, row WHERE NOT (a)-[:PARTNERS_WITH]-(b) "
        "CREATE (a)-[:PARTNERS_WITH {since: row.since, createdAt: datetime()}]->(b) "
        "RETURN count(*) AS created",
        {"rows": rows}, write=True)
    return _count(records)


_OFFER_LINKS = {
    "Vacancy": (
        "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
        "MERGE (n)-[:REQUIRES {essential: true}]->(s) } "
        "CALL (n, row) { UNWIND row.occupation AS uri MATCH (c:Occupation {uri: uri}) "
        "MERGE (n)-[:FOR_OCCUPATION]->(c) } "),
    "TrainingCourse": (
        "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
        "MERGE (n)-[:TEACHES]->(s) } "),
    "Service": (
        "CALL (n, row) { UNWIND row.fields AS code MATCH (f:Field {code: code}) "
        "MERGE (n)-[:IN_FIELD]->(f) } "),
}
_OFFER_MERGE = {
    "Vacancy": "MERGE (n:Vacancy {id: row.id}) ",
    "TrainingCourse": "MERGE (n:TrainingCourse {id: row.id}) ",
    "Service": "MERGE (n:Service {id: row.id}) ",
}


def offers(graph: Graph, label: str, rows: list[dict[str, Any]]) -> int:
    """Vacancies, courses or services: rows have id, props, by (the offering organisation's id)
    and, as the label needs, skills (URIs), occupation (a list of at most one URI), fields."""
    return _count(graph.run(
        "UNWIND $rows AS row " + _OFFER_MERGE[label] +
        "ON CREATE SET n += row.props, n.createdAt = datetime(), n.updatedAt = datetime(), "
        "n.version = 1, n._new = true "
        + _CREATED +
        "CALL (n, row) { MATCH (o:Organisation {id: row.by}) MERGE (n)-[:OFFERED_BY]->(o) } "
        + _OFFER_LINKS[label] +
        "RETURN count(CASE WHEN created THEN 1 END) AS created",
        {"rows": rows}, write=True))


def ids_by_name_key(graph: Graph, keys: list[str]) -> dict[str, str]:
    records = graph.run(
        "UNWIND $keys AS key MATCH (o:Organisation {nameKey: key}) RETURN key, o.id AS id",
        {"keys": keys})
    return {r["key"]: r["id"] for r in records}


def capabilities(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: id (an organisation), fields (codes), skills (URIs); returns links created."""
    records = graph.run(
        "UNWIND $rows AS row MATCH (n:Organisation {id: row.id}) "
        "CALL (n, row) { UNWIND row.fields AS code MATCH (f:Field {code: code}) "
        "WHERE NOT (n)-[:IN_FIELD]->(f) CREATE (n)-[:IN_FIELD]->(f) RETURN count(*) AS f } "
        "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
        "WHERE NOT (n)-[:HAS_SKILL]->(s) CREATE (n)-[:HAS_SKILL]->(s) RETURN count(*) AS s } "
        "RETURN sum(f + s) AS created",
        {"rows": rows}, write=True)
    return _count(records)
