"""Cypher for pilots: partners, operating model, outcome measures, measurements, sign-offs.

A pilot's measures come with their latest value and whether it meets the target, by the same
expressions the stage gates use (:mod:`rules`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicgraph.core.envelope import AT, created_map, touched
from civicgraph.core.graph import Graph
from civicgraph.core.ordering import by_name
from civicgraph.lab.cypher import rules
from civicgraph.lab.cypher.transitions import first_event

PILOT = (
    "pl {.id, .title, .status, .version, .involved, .relationship, .ownership, .fundingMethod, "
    ".powerSits, .publicRole, .overdueMeasures, "
    "createdAt: toString(pl.createdAt), updatedAt: toString(pl.updatedAt), "
    "proposalId: COLLECT { MATCH (pl)-[:PILOTS]->(p:Proposal) RETURN p.id }[0], "
    "sponsorId: COLLECT { MATCH (pl)-[:SPONSORED_BY]->(s:Person) RETURN s.id }[0], "
    "partners: COLLECT { MATCH (pl)-[i:INVOLVES]->(o:Organisation) "
    "  WITH o, i ORDER BY " + by_name("o.name") + " "
    "  RETURN {organisationId: o.id, name: o.name, role: i.role} }, "
    "signOffs: COLLECT { MATCH (s:Person)-[so:SIGNED_OFF]->(pl) WITH s, so ORDER BY so.at "
    "  RETURN {stage: so.stage, by: s.id, at: toString(so.at)} }, "
    "measures: COLLECT { MATCH (m:OutcomeMeasure)-[:MEASURES]->(pl) "
    "  WITH m, " + rules.latest_value("m") + " AS latest ORDER BY m.name "
    "  RETURN m {.id, .name, .unit, .baseline, .target, .direction, .everyDays, "
    "    latest: latest, met: " + rules.target_met("m", "latest") + ", "
    "    measurements: COLLECT { MATCH (x:Measurement)-[:OF]->(m) WITH x ORDER BY x.at "
    "      RETURN {value: x.value, at: toString(x.at)} }} }}"
)


def create(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """A pilot of a proposal pilots start from, involving its proposing organisation as LEAD."""
    records = graph.run(
        "MATCH (p:Proposal {id: $proposalId}) WHERE p.status IN $proposalPilotable "
        "MATCH (sponsor:Person {id: $sponsorId}) "
        "CREATE (pl:Pilot {id: $id, title: $title, status: 'PROOF_OF_CONCEPT', "
        "  createdBy: $actorId, " + created_map(AT) + "}) "
        "CREATE (pl)-[:PILOTS]->(p) CREATE (pl)-[:SPONSORED_BY]->(sponsor) "
        + first_event("pl", "PILOT")
        + "WITH pl, p OPTIONAL MATCH (p)-[:SUBMITTED_BY]->(o:Organisation) "
        "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | "
        "  CREATE (pl)-[:INVOLVES {role: 'LEAD'}]->(o)) "
        "RETURN " + PILOT + " AS pilot",
        fields,
        write=True,
    )
    return dict(records[0]["pilot"]) if records else None


def get(graph: Graph, pilot_id: str) -> dict[str, Any] | None:
    records = graph.run("MATCH (pl:Pilot {id: $id}) RETURN " + PILOT + " AS pilot",
                        {"id": pilot_id})
    return dict(records[0]["pilot"]) if records else None


def involve(graph: Graph, pilot_id: str, organisation_id: str, role: str) -> str | None:
    """Involve the organisation; the pilot's id, or None when either is missing. (The answer
    a client sees is read from its selection afterwards, in the same transaction.)"""
    records = graph.run(
        "MATCH (pl:Pilot {id: $pilot}) MATCH (o:Organisation {id: $org}) "
        "MERGE (pl)-[i:INVOLVES]->(o) SET i.role = $role "
        "WITH DISTINCT pl RETURN pl.id AS id",
        {"pilot": pilot_id, "org": organisation_id, "role": role},
        write=True,
    )
    return str(records[0]["id"]) if records else None


def set_operating_model(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (pl:Pilot {id: $id}) SET pl._lock = true REMOVE pl._lock "
        "WITH pl WHERE pl.version = $version "
        "SET pl.involved = $involved, pl.relationship = $relationship, "
        "  pl.ownership = $ownership, pl.fundingMethod = $fundingMethod, "
        "  pl.powerSits = $powerSits, pl.publicRole = $publicRole, "
        "  " + touched("pl", AT) + " "
        "RETURN " + PILOT + " AS pilot",
        fields,
        write=True,
    )
    return dict(records[0]["pilot"]) if records else None


def add_measure(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (pl:Pilot {id: $pilotId}) "
        "CREATE (m:OutcomeMeasure {id: $id, name: $name, unit: $unit, baseline: $baseline, "
        "  target: $target, direction: $direction, everyDays: $everyDays, "
        "  " + created_map(AT) + "})-[:MEASURES]->(pl) "
        "RETURN m {.id, .name, .unit, .baseline, .target, .direction, .everyDays} AS measure",
        fields,
        write=True,
    )
    return dict(records[0]["measure"]) if records else None


def set_baseline(graph: Graph, measure_id: str, baseline: float, at: str) -> str | None:
    """Set the baseline; the id of the measure's pilot, or None when there is no measure."""
    records = graph.run(
        "MATCH (om:OutcomeMeasure {id: $id})-[:MEASURES]->(pl:Pilot) "
        "SET om.baseline = $baseline, " + touched("om", AT) + " "
        "WITH DISTINCT pl RETURN pl.id AS id",
        {"id": measure_id, "baseline": baseline, "at": at},
        write=True,
    )
    return str(records[0]["id"]) if records else None


def record_measurement(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Record a measurement when the caller may (staff, or an organisation the pilot involves).

    The scope is decided in the statement that writes, so one transaction both checks and
    records. None when the measure does not exist; else whether the caller was involved (nothing
    is written when not and not staff) and the pilot's id.
    """
    records = graph.run(
        "MATCH (om:OutcomeMeasure {id: $measureId})-[:MEASURES]->(pl:Pilot) "
        "WITH om, pl, EXISTS { (pl)-[:INVOLVES]->(:Organisation {id: $org}) } AS involved "
        "CALL (om, involved) { WITH om WHERE involved OR $staff "
        "  CREATE (x:Measurement {id: $id, value: $value, at: datetime($measuredAt), "
        "    recordedBy: $actorId, " + created_map(AT) + "})-[:OF]->(om) RETURN count(x) AS made } "
        "WITH pl, involved, made RETURN involved, made, pl.id AS pilotId",
        fields,
        write=True,
    )
    if not records:
        return None
    return {"involved": bool(records[0]["involved"]), "made": records[0]["made"],
            "pilotId": str(records[0]["pilotId"])}


def sign_off(graph: Graph, pilot_id: str, person_id: str, stage: str, at: str) -> bool:
    """Only the pilot's sponsor can sign off: the match requires SPONSORED_BY. Whether the
    sign-off is recorded (now or before)."""
    records = graph.run(
        "MATCH (pl:Pilot {id: $pilot})-[:SPONSORED_BY]->(s:Person {id: $person}) "
        "MERGE (s)-[so:SIGNED_OFF {stage: $stage}]->(pl) ON CREATE SET so.at = datetime($at) "
        "WITH DISTINCT pl RETURN pl.id AS id",
        {"pilot": pilot_id, "person": person_id, "stage": stage, "at": at},
        write=True,
    )
    return bool(records)


def flag_overdue(graph: Graph, now: str, sets: Mapping[str, list[str]]
                 ) -> list[dict[str, Any]]:
    """Store on each live pilot the measures whose next measurement is past due (or none)."""
    records = graph.run(
        "MATCH (pl:Pilot) WHERE pl.status IN $pilotLive "
        "WITH pl, COLLECT { MATCH (m:OutcomeMeasure)-[:MEASURES]->(pl) "
        "  WHERE m.everyDays IS NOT NULL "
        "  WITH m, COLLECT { MATCH (x:Measurement)-[:OF]->(m) RETURN max(x.at) AS last }[0] "
        "    AS last "
        "  WHERE coalesce(last, m.createdAt) + duration({days: m.everyDays}) < datetime($now) "
        "  WITH m ORDER BY m.name RETURN m.name } AS overdue "
        "SET pl.overdueMeasures = overdue, pl.measurementsOverdue = size(overdue) > 0 "
        "RETURN pl.id AS id, overdue",
        {**sets, "now": now},
        write=True,
    )
    return [dict(r) for r in records]


def list_recent(graph: Graph, limit: int) -> list[dict[str, Any]]:
    """Pilots, newest first: pilots are public records (the lab reports them openly)."""
    records = graph.run(
        "MATCH (pl:Pilot) WITH pl ORDER BY pl.createdAt DESC, pl.id LIMIT $limit "
        "RETURN " + PILOT + " AS pilot",
        {"limit": limit},
    )
    return [dict(r["pilot"]) for r in records]
