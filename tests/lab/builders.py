"""What lab tests build: people with the Actor they act as, fields, organisations, and a
challenge open for proposals with its fields and rubric.

People, fields and memberships are written with plain Cypher (the few nodes the lab reads), so a
lab test does not depend on identity's sign-up; organisations go through the partner graph's
service.
"""

from __future__ import annotations

import uuid
from typing import Any

from civicgraph.core.access import ROLE_LABELS
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges
from civicgraph.partner_graph.service import organisations

FUTURE = "2099-01-01T00:00:00Z"
AFTER_DEADLINE = "2099-01-02T00:00:00+00:00"
RUBRIC = [{"name": "impact", "weight": 3}, {"name": "feasibility", "weight": 1}]


def person(graph: Graph, name: str, roles: set[str], organisation_id: str | None = None,
           fields: tuple[str, ...] = ()) -> Actor:
    """A Person with the role labels identity would give them (core.access.ROLE_LABELS), a
    member of the organisation and expert in the fields given; the Actor they act as."""
    person_id = str(uuid.uuid4())
    labels = [ROLE_LABELS[r] for r in sorted(roles) if r in ROLE_LABELS]
    graph.run(
        "CREATE (p:Person {id: $id, name: $name, createdAt: datetime(), updatedAt: datetime(), "
        "version: 1}) SET p:$($labels) "
        "WITH p OPTIONAL MATCH (o:Organisation {id: $org}) "
        "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | CREATE (p)-[:MEMBER_OF]->(o)) "
        "WITH p UNWIND (CASE WHEN size($fields) = 0 THEN [null] ELSE $fields END) AS code "
        "OPTIONAL MATCH (f:Field {code: code}) "
        "FOREACH (_ IN CASE WHEN f IS NULL THEN [] ELSE [1] END | CREATE (p)-[:EXPERT_IN]->(f))",
        {"id": person_id, "name": name, "labels": labels or ["Person"], "org": organisation_id,
         "fields": list(fields)},
        write=True,
    )
    return Actor(person_id, frozenset(roles), organisation_id)


def field(graph: Graph, code: str) -> str:
    field_id = str(uuid.uuid4())
    graph.run("CREATE (:Field {id: $id, code: $code, name: $code, createdAt: datetime(), "
              "updatedAt: datetime(), version: 1})", {"id": field_id, "code": code}, write=True)
    return field_id


def organisation(graph: Graph, name: str, kind: str = "START_UP") -> str:
    org = organisations.register(graph, name=name, kind=kind, region="North", description="")
    return str(org["id"])


def open_challenge(graph: Graph, staff: Actor, fields: tuple[str, ...] = ("employment",),
                   criteria: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    challenge = challenges.create(
        graph, staff, title="Reach rural job seekers", description="How do we reach them?",
        eligibility="Organisations in the North", field_codes=list(fields),
        criteria=criteria or RUBRIC, deadline=FUTURE)
    challenges.advance(graph, staff, challenge["id"], "OPEN", 1)
    return challenges.get(graph, challenge["id"])


def to_evaluation(graph: Graph, challenge_id: str) -> None:
    """The deadline passes: the scheduler's own transition, with its clock moved on."""
    from civicgraph.lab.service import scheduling

    moved = scheduling.close_due_challenges(graph, now=AFTER_DEADLINE)
    assert challenge_id in [m["id"] for m in moved["moved"]], moved


def submitted_proposals(graph: Graph, challenge_id: str,
                        organisations: dict[str, str]) -> dict[str, str]:
    """A submitted proposal titled ``name`` by an author of each organisation (its id), by name."""
    from civicgraph.lab.service import proposals

    ids = {}
    for name, org in organisations.items():
        author = person(graph, f"Author {name}", {"PARTNER"}, org)
        draft = proposals.create(graph, author, challenge_id=challenge_id, title=name,
                                 summary="s")
        proposals.advance(graph, author, draft["id"], "SUBMITTED", 1)
        ids[name] = draft["id"]
    return ids
