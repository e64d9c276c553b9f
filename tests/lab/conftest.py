"""Lab fixtures: people stored as Person nodes with the Actor they act as, fields, organisations.

People, fields and memberships are the partner graph's and identity's nodes, not the lab's:
these fixtures write the few the lab reads with plain Cypher.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.service import organisations

# Short webhook backoff for the whole session: read by the worker, which the session starts
# after every conftest module has been imported.
os.environ.setdefault("CIVICGRAPH_WEBHOOK_BACKOFF_SECONDS", "0.2")
os.environ.setdefault("CIVICGRAPH_WEBHOOK_TIMEOUT_SECONDS", "2")

ROLE_LABELS = {"LAB_STAFF": "LabStaff", "EXPERT": "Expert", "CITIZEN": "Citizen"}


def person(graph: Graph, name: str, roles: set[str], organisation_id: str | None = None,
           fields: tuple[str, ...] = ()) -> Actor:
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


@pytest.fixture
def staff(graph: Graph) -> Actor:
    return person(graph, "Stella Staff", {"LAB_STAFF"})


@pytest.fixture
def make_person(graph: Graph) -> Callable[..., Actor]:
    def make(name: str, roles: set[str], organisation_id: str | None = None,
             fields: tuple[str, ...] = ()) -> Actor:
        return person(graph, name, roles, organisation_id, fields)

    return make
