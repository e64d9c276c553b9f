"""Pilots of selected proposals: partners, operating model, outcomes, and stage gates.

The operating model follows the six variables of new public operating models; outcome measures
carry baseline, target, unit and direction, and come with their latest value and whether it meets
the target (the rule the gates apply, computed by the same Cypher); stage gates
(``lifecycles.STAGE_GATES``) are lists of condition names that one query answers, and a refused
move names the unmet ones.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from civicgraph.core import clock
from civicgraph.core.access import PARTNER, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import pilots as repo
from civicgraph.lab.service import machine
from civicgraph.lab.service.lifecycles import PILOT, PROPOSAL, STAGE_GATES
from civicgraph.lab.service.validation import choice, page_size, require_role, text

# The six operating-model variables (and an outcome measure's direction): each a table of its
# codes and what they mean, which the service checks, the console offers and the API serves.
INVOLVED = {
    "CITIZENS": "Citizens, as users and co-designers",
    "COMMUNITIES": "Local communities and their groups",
    "THIRD_SECTOR": "Charities, associations and other non-profits",
    "START_UPS": "Start-ups",
    "EMPLOYERS": "Employers",
    "PUBLIC_AGENCIES": "Public agencies",
    "RESEARCHERS": "Universities and researchers",
    "FUNDERS": "Funders and investors",
}
RELATIONSHIPS = {
    "HIERARCHY": "One body directs the others",
    "CONTRACT": "The parties are bound by contracts",
    "PARTNERSHIP": "Partners share decisions and risks",
    "NETWORK": "A loose network coordinates itself",
    "DISTRIBUTED": "Many actors act on their own within shared rules",
}
OWNERSHIP = {
    "PUBLIC": "Owned by a public body",
    "PRIVATE": "Owned by a private company",
    "SOCIAL_ENTERPRISE": "Owned by a social enterprise",
    "MUTUAL": "Owned by its staff or users as a mutual",
    "COOPERATIVE": "Owned by its members as a cooperative",
    "COMMUNITY": "Owned by the community it serves",
    "CHARITY": "Owned by a charity",
}
FUNDING = {
    "TAXES": "Paid from public budgets",
    "CROWDFUNDING": "Paid by many small contributions",
    "MATCHED_CROWDFUNDING": "Crowdfunding matched by public money",
    "COMMUNITY_SHARES": "Community shares bought by local people",
    "OUTCOME_BASED": "Paid for the outcomes achieved (social impact bonds and the like)",
}
POWER = {
    "CENTRAL_GOVERNMENT": "Central government decides",
    "LOCAL_GOVERNMENT": "Local government decides",
    "PROVIDERS": "The providers of the service decide",
    "COMMUNITIES": "Communities decide",
    "CITIZENS": "Citizens decide, one by one",
    "SHARED": "Decisions are shared between them",
}
PUBLIC_ROLES = {
    "DELIVERER": "The public sector delivers the service itself",
    "COMMISSIONER": "The public sector buys the service from others",
    "ENABLER": "The public sector enables others to deliver it",
    "CONVENER": "The public sector brings the parties together",
    "PLATFORM": "The public sector runs a platform others build on",
}
DIRECTIONS = {
    "INCREASE": "Better when it goes up: the target is a value to reach or exceed",
    "DECREASE": "Better when it goes down: the target is a value to reach or stay under",
}
PARTNER_ROLES = {
    "LEAD": "Leads the pilot and answers for its delivery",
    "DELIVERY_PARTNER": "Delivers part of the pilot's service",
    "FUNDER": "Funds the pilot",
    "EVALUATOR": "Evaluates the pilot's outcomes",
    "COMMUNITY_PARTNER": "Brings in the community the pilot serves",
    "DATA_PROVIDER": "Supplies data the pilot uses or is measured by",
}
# The stages a sponsor signs off: each is entered through a gate (lifecycles.STAGE_GATES).
STAGES = {
    stage: f"Entering {stage}: " + "; ".join(PILOT.condition(c).text for c in conditions)
    for stage, conditions in STAGE_GATES.items()
}


def _number(value: Any, field: str, *, required: bool = True) -> float | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInput(f"{field} must be a number", field=field)
    return float(value)


def get(graph: Graph, pilot_id: str) -> dict[str, Any]:
    pilot = repo.get(graph, pilot_id)
    if pilot is None:
        raise NotFound(f"no pilot with id {pilot_id}", id=pilot_id)
    return pilot


def list_recent(graph: Graph, limit: int = 50) -> list[dict[str, Any]]:
    return repo.list_recent(graph, page_size(limit))


def start(graph: Graph, actor: Actor, proposal_id: str, *, title: str | None,
          sponsor_id: str | None = None) -> dict[str, Any]:
    """Staff start a pilot of a SELECTED proposal; the sponsor (default: the actor) signs off."""
    require_role(actor, STAFF, "start pilots")
    created = repo.create(graph, {
        "id": str(uuid.uuid4()), "proposalId": proposal_id,
        "title": text("Pilot", "title", title),
        "sponsorId": sponsor_id or actor.id, "actorId": actor.id, "at": clock.iso(),
        **PROPOSAL.params("pilotable"),
    })
    if created is None:
        raise BadInput(f"a pilot starts from a {PROPOSAL.words('pilotable')} proposal and a "
                       "sponsor who is a person in the graph", field="proposalId")
    return created


def involve(graph: Graph, actor: Actor, pilot_id: str, organisation_id: str,
            role: str) -> dict[str, Any]:
    """Involve an organisation in a pilot with a role; answers ``{pilotId}`` (a caller reads
    the pilot as it wants it: the GraphQL payload compiles the client's selection)."""
    require_role(actor, STAFF, "involve partners")
    involved = repo.involve(graph, pilot_id, organisation_id,
                            choice(role, "role", PARTNER_ROLES))
    if involved is None:
        raise NotFound("no such pilot or organisation", pilotId=pilot_id,
                       organisationId=organisation_id)
    return {"pilotId": involved}


def set_operating_model(graph: Graph, actor: Actor, pilot_id: str, version: int, *,
                        involved: list[str], relationship: str, ownership: str,
                        funding_method: str, power_sits: str, public_role: str) -> dict[str, Any]:
    require_role(actor, STAFF, "set a pilot's operating model")
    unknown = [i for i in involved if i not in INVOLVED]
    if unknown or not involved:
        raise BadInput(f"involved lists one or more of {', '.join(INVOLVED)}", field="involved")
    updated = repo.set_operating_model(graph, {
        "id": pilot_id, "version": version, "at": clock.iso(), "involved": sorted(set(involved)),
        "relationship": choice(relationship, "relationship", RELATIONSHIPS),
        "ownership": choice(ownership, "ownership", OWNERSHIP),
        "fundingMethod": choice(funding_method, "fundingMethod", FUNDING),
        "powerSits": choice(power_sits, "powerSits", POWER),
        "publicRole": choice(public_role, "publicRole", PUBLIC_ROLES),
    })
    if updated is None:
        current = get(graph, pilot_id)
        raise Conflict(f"the pilot is at version {current['version']}, not {version}",
                       currentVersion=current["version"])
    return updated


def add_measure(graph: Graph, actor: Actor, pilot_id: str, *, name: str | None,
                unit: str | None, target: float, direction: str,
                baseline: float | None = None, every_days: int | None = None) -> dict[str, Any]:
    require_role(actor, STAFF, "define outcome measures")
    if every_days is not None and (not isinstance(every_days, int) or every_days < 1):
        raise BadInput("everyDays is a whole number of days, at least 1", field="everyDays")
    measure = repo.add_measure(graph, {
        "id": str(uuid.uuid4()), "pilotId": pilot_id, "name": text("OutcomeMeasure", "name", name),
        "unit": text("OutcomeMeasure", "unit", unit), "target": _number(target, "target"),
        "baseline": _number(baseline, "baseline", required=False),
        "direction": choice(direction, "direction", DIRECTIONS), "everyDays": every_days,
        "at": clock.iso(),
    })
    if measure is None:
        raise NotFound(f"no pilot with id {pilot_id}", id=pilot_id)
    return measure


def set_baseline(graph: Graph, actor: Actor, measure_id: str, baseline: float
                 ) -> dict[str, Any]:
    """Set a measure's baseline; answers ``{outcomeMeasureId, pilotId}``."""
    require_role(actor, STAFF, "set baselines")
    pilot_id = repo.set_baseline(graph, measure_id, _number(baseline, "baseline") or 0.0,
                                 clock.iso())
    if pilot_id is None:
        raise NotFound(f"no outcome measure with id {measure_id}", id=measure_id)
    return {"outcomeMeasureId": measure_id, "pilotId": pilot_id}


def record_measurement(graph: Graph, actor: Actor, measure_id: str, value: float,
                       measured_at: str | dt.datetime | None = None) -> dict[str, Any]:
    """Staff, or a partner whose organisation the pilot involves, record measurements."""
    require_role(actor, STAFF | {PARTNER}, "record measurements")
    at = clock.iso()
    done = repo.record_measurement(graph, {
        "id": str(uuid.uuid4()), "measureId": measure_id, "value": _number(value, "value"),
        "measuredAt": clock.iso(clock.parse(measured_at, "measuredAt")) if measured_at else at,
        "actorId": actor.id, "at": at, "org": actor.organisation_id,
        "staff": actor.has_any(STAFF),
    })
    if done is None:
        raise NotFound(f"no outcome measure with id {measure_id}", id=measure_id)
    if not done["made"]:
        raise Forbidden("only partners involved in this pilot record its measurements")
    return {"outcomeMeasureId": measure_id, "pilotId": done["pilotId"]}


def sign_off(graph: Graph, actor: Actor, pilot_id: str, stage: str) -> dict[str, Any]:
    """The sponsor's sign-off for entering ``stage``: one of the gate conditions; answers
    ``{pilotId}``."""
    choice(stage, "stage", STAGES)
    if not repo.sign_off(graph, pilot_id, actor.id, stage, clock.iso()):
        raise Forbidden("only the pilot's sponsor signs off its stages")
    return {"pilotId": pilot_id}


def next_stage(status: str) -> str | None:
    """The stage a pilot in ``status`` goes through a gate to next (none once it is final)."""
    return next((t.target for t in PILOT.moves_from(status) if t.target in STAGE_GATES), None)


def gate(graph: Graph, pilot_id: str, stage: str) -> dict[str, Any]:
    """What the gate into ``stage`` asks (each condition with its text), and what holds now."""
    conditions = STAGE_GATES[choice(stage, "stage", STAGE_GATES)]
    facts = machine.facts(graph, PILOT.kind, pilot_id, stage)
    checks = [{"condition": c, "text": PILOT.condition(c).text,
               "met": bool(facts["conditions"].get(c))} for c in conditions]
    return {"stage": stage, "conditions": checks,
            "unmet": [c["condition"] for c in checks if not c["met"]]}


def advance(graph: Graph, actor: Actor, pilot_id: str, to: str, version: int,
            reason: str | None = None) -> dict[str, Any]:
    return machine.advance(graph, PILOT.kind, pilot_id, to, actor, version, reason)


def flag_overdue_measurements(graph: Graph, now: str | None = None) -> dict[str, Any]:
    at = clock.iso(clock.parse(now, "now")) if now else clock.iso()
    rows = repo.flag_overdue(graph, at, PILOT.params("live"))
    return {"at": at, "flagged": [r for r in rows if r["overdue"]],
            "checked": len(rows)}
