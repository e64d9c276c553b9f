"""Batched ``UNWIND`` upserts for the generator and the demo seed.

Every node is merged on its key (id, or code/uri for the vocabulary, the name key for
organisations) by the label's writer (``writers``) and every relationship with MERGE, so running
a batch twice changes nothing; each call returns how many nodes it created. Rows carry the
node's properties as ``props`` (its id included), apart from what they link to; the properties
are checked by the model's rules first, as every write path's are.
"""

from __future__ import annotations

from typing import Any

from civicgraph.compiler.model import TYPES
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

_COUNT = "RETURN count(CASE WHEN created THEN 1 END) AS created"


def _merge(type_name: str, key: str, **options: Any) -> str:
    return ("UNWIND $rows AS row "
            + writers.merge(type_name, "n", key, f"row.props.{key}", props="row.props",
                            flag=True, **options)
            + writers.count_created("n", "row"))


def _count(records: list[Any]) -> int:
    return int(records[0]["created"]) if records else 0


def _checked(type_name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows with their properties checked by the model's rules, as a mutation's would be
    (``BadInput`` for a bad one); keys the model does not declare (the name key) are kept."""
    node = TYPES[type_name]
    return {"rows": [{**row, "props": {**row["props"], **node.clean(row["props"], creating=True)}}
                     for row in rows]}


_FIELDS = _merge("Field", "code") + _COUNT
_SKILLS = _merge("Skill", "uri") + _COUNT
_OCCUPATIONS = (
    _merge("Occupation", "uri")
    + "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
    "MERGE (n)-[:NEEDS_SKILL {essential: true}]->(s) } " + _COUNT)
_ORGANISATIONS = (
    _merge("Organisation", "nameKey", labels="row.label")
    + "CALL (n, row) { UNWIND row.fields AS code MATCH (f:Field {code: code}) "
    "MERGE (n)-[:IN_FIELD]->(f) } "
    "CALL (n, row) { UNWIND row.skills AS uri MATCH (s:Skill {uri: uri}) "
    "MERGE (n)-[:HAS_SKILL]->(s) } " + _COUNT)
_PARTNERSHIPS = (
    "UNWIND $rows AS row MATCH (a:Organisation {id: row.a}) MATCH (b:Organisation {id: row.b}) "
    "WITH a, b, row WHERE " + writers.unlinked("a", "b") + " "
    + writers.partnership("a", "b", "row.since") + "RETURN count(*) AS created")


def fields(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: props (id, code, name)."""
    return _count(graph.run(_FIELDS, _checked("Field", rows), write=True))


def skills(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: props (id, uri, name)."""
    return _count(graph.run(_SKILLS, _checked("Skill", rows), write=True))


def occupations(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: props (id, uri, code, name), skills (URIs it needs)."""
    return _count(graph.run(_OCCUPATIONS, _checked("Occupation", rows), write=True))


def organisations(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: label, props (id, name, nameKey, kind, region, description...), fields, skills.

    An organisation already there under its name key keeps its properties and gains the label.
    """
    return _count(graph.run(_ORGANISATIONS, _checked("Organisation", rows), write=True))


def partnerships(graph: Graph, rows: list[dict[str, Any]]) -> int:
    """rows: a, b (ids), since; a pair linked either way already is left alone."""
    return _count(graph.run(_PARTNERSHIPS, {"rows": rows}, write=True))


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
_OFFERS = {
    label: _merge(label, "id")
    + "CALL (n, row) { MATCH (o:Organisation {id: row.by}) MERGE (n)-[:OFFERED_BY]->(o) } "
    + links + _COUNT
    for label, links in _OFFER_LINKS.items()
}


def offers(graph: Graph, label: str, rows: list[dict[str, Any]]) -> int:
    """Vacancies, courses or services: rows have props (id included), by (the offering
    organisation's id) and, as the label needs, skills (URIs), occupation (a list of at most one
    URI), fields."""
    return _count(graph.run(_OFFERS[label], _checked(label, rows), write=True))


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
