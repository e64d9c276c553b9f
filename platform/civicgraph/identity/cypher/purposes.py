"""Cypher for the purposes organisations declare for citizens' data.

One writer for the label: declared by an organisation (PROPOSED), approved by the lab, revised
(a new version, back to PROPOSED until approved again) or retired. A consent records the
version it was given for, so a revision never changes what a citizen agreed to.
"""

from __future__ import annotations

from typing import Any

from civicgraph.core.envelope import created_map, touched
from civicgraph.core.graph import Graph
from civicgraph.core.ordering import by_name

PURPOSE = (
    "p {.id, .version, .code, .nameEn, .nameFr, .descriptionEn, .descriptionFr, .benefitEn, "
    ".benefitFr, .categories, .legalBasis, .retentionDays, .status, "
    "approvedAt: toString(p.approvedAt), organisationId: o.id, organisationName: o.name}"
)


def declare(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """A new PROPOSED purpose; None when the organisation does not exist. The organisation's
    lock first, so two declarations of one code at once cannot both pass the check."""
    records = graph.run(
        "MATCH (o:Organisation {id: $organisationId}) SET o._lock = true REMOVE o._lock "
        "WITH o "
        "OPTIONAL MATCH (same:Purpose {code: $code})-[:DECLARED_BY]->(o) "
        "WITH o, count(same) > 0 AS taken "
        "FOREACH (_ IN CASE WHEN taken THEN [] ELSE [1] END | "
        "  CREATE (:Purpose {id: $id, code: $code, nameEn: $nameEn, nameFr: $nameFr, "
        "    descriptionEn: $descriptionEn, descriptionFr: $descriptionFr, "
        "    benefitEn: $benefitEn, benefitFr: $benefitFr, categories: $categories, "
        "    legalBasis: $legalBasis, retentionDays: $retentionDays, status: 'PROPOSED', "
        "    approvedAt: null, " + created_map() + "})-[:DECLARED_BY]->(o)) "
        "WITH o, taken "
        "OPTIONAL MATCH (p:Purpose {id: $id}) "
        "RETURN CASE WHEN p IS NOT NULL THEN " + PURPOSE + " END AS purpose, taken",
        fields,
        write=True,
    )
    if not records:
        return None
    if records[0]["taken"]:
        return {"taken": True}
    return dict(records[0]["purpose"])


def get(graph: Graph, purpose_id: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:Purpose {id: $id})-[:DECLARED_BY]->(o:Organisation) RETURN " + PURPOSE
        + " AS purpose", {"id": purpose_id})
    return dict(records[0]["purpose"]) if records else None


def set_status(graph: Graph, purpose_id: str, version: int, status: str,
               allowed_from: list[str], approver_id: str | None) -> dict[str, Any] | None:
    """Move a purpose, naming the version read; None when it moved on (or is not there)."""
    records = graph.run(
        "MATCH (p:Purpose {id: $id})-[:DECLARED_BY]->(o:Organisation) "
        "SET p._lock = true REMOVE p._lock "
        "WITH p, o WHERE p.version = $version AND p.status IN $from "
        "SET p.status = $status, "
        "  p.approvedAt = CASE WHEN $status = 'APPROVED' THEN datetime() ELSE p.approvedAt END, "
        "  p.approvedBy = CASE WHEN $status = 'APPROVED' THEN $approverId ELSE p.approvedBy END, "
        "  " + touched("p") + " "
        "RETURN " + PURPOSE + " AS purpose",
        {"id": purpose_id, "version": version, "status": status, "from": allowed_from,
         "approverId": approver_id},
        write=True,
    )
    return dict(records[0]["purpose"]) if records else None


def revise(graph: Graph, purpose_id: str, version: int, changes: dict[str, Any]
           ) -> dict[str, Any] | None:
    """A new version of the purpose's words or terms, PROPOSED again; None when stale."""
    records = graph.run(
        "MATCH (p:Purpose {id: $id})-[:DECLARED_BY]->(o:Organisation) "
        "SET p._lock = true REMOVE p._lock "
        "WITH p, o WHERE p.version = $version AND p.status <> 'RETIRED' "
        "SET p += $changes, p.status = 'PROPOSED', p.approvedAt = null, " + touched("p") + " "
        "RETURN " + PURPOSE + " AS purpose",
        {"id": purpose_id, "version": version, "changes": changes},
        write=True,
    )
    return dict(records[0]["purpose"]) if records else None


def approved(graph: Graph) -> list[dict[str, Any]]:
    """The purposes a citizen may choose, by organisation."""
    records = graph.run(
        "MATCH (p:Purpose {status: 'APPROVED'})-[:DECLARED_BY]->(o:Organisation) "
        "RETURN " + PURPOSE + " AS purpose ORDER BY " + by_name("o.name") + ", p.code")
    return [dict(r["purpose"]) for r in records]


def ensure_demo(graph: Graph, organisation_key: str, fields: dict[str, Any]) -> int:
    """An approved demo purpose for the organisation unless it has this code; 1 if made."""
    records = graph.run(
        "MATCH (o:Organisation {nameKey: $organisationKey}) "
        "WHERE NOT EXISTS { (:Purpose {code: $code})-[:DECLARED_BY]->(o) } "
        "CREATE (p:Purpose {id: randomUUID(), code: $code, nameEn: $nameEn, nameFr: $nameFr, "
        "  descriptionEn: $descriptionEn, descriptionFr: $descriptionFr, benefitEn: $benefitEn, "
        "  benefitFr: $benefitFr, categories: $categories, legalBasis: $legalBasis, "
        "  retentionDays: $retentionDays, status: 'APPROVED', approvedAt: datetime(), "
        "  " + created_map() + "})-[:DECLARED_BY]->(o) "
        "RETURN count(p) AS created",
        {**fields, "organisationKey": organisation_key},
        write=True,
    )
    return int(records[0]["created"]) if records else 0


def all_for_staff(graph: Graph) -> list[dict[str, Any]]:
    """Every purpose, those waiting for approval first, for the lab's review page."""
    records = graph.run(
        "MATCH (p:Purpose)-[:DECLARED_BY]->(o:Organisation) "
        "RETURN " + PURPOSE + " AS purpose "
        "ORDER BY CASE p.status WHEN 'PROPOSED' THEN 0 WHEN 'APPROVED' THEN 1 ELSE 2 END, "
        "  " + by_name("o.name") + ", p.code")
    return [dict(r["purpose"]) for r in records]
