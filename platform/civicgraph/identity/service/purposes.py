"""Declared purposes: an organisation says what it uses citizens' data for, the lab approves.

A citizen no longer invents a purpose: they choose one an organisation declared (what for, which
categories, on which legal basis, kept how long, and the service they get back) and the lab
approved. The rules of each property are the model's (``compiler.domains.identity.PURPOSE``);
the categories are checked against the one table of categories.
"""

from __future__ import annotations

import uuid
from typing import Any

from civicgraph.compiler.domains import identity as identity_model
from civicgraph.core.access import ADMIN, STAFF, Principal, require_organisation, require_owner
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import purposes as repo

PURPOSE = identity_model.PURPOSE
CATEGORIES = identity_model.CATEGORIES


def categories_of(values: list[str] | None, *, field: str = "categories") -> list[str]:
    """Category codes in the table's order; the error names what is accepted, in words."""
    clean = {str(v).strip().lower() for v in values or []}
    unknown = sorted(clean - set(CATEGORIES))
    if unknown or not clean:
        raise BadInput("Choose at least one kind of data: contact details, skills or "
                       "occupation.", field=field)
    return sorted(clean)


def _terms(values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    fields = PURPOSE.clean(values, creating=creating)
    if creating or "categories" in values:
        fields["categories"] = categories_of(values.get("categories"))
    return fields


def declare(graph: Graph, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    """Declared by the caller's organisation, PROPOSED until the lab approves it."""
    organisation_id = require_organisation(principal)
    fields = _terms(values, creating=True)
    declared = repo.declare(graph, {**fields, "id": str(uuid.uuid4()),
                                    "organisationId": organisation_id})
    if declared is None:
        raise NotFound(f"no organisation with id {organisation_id}")
    if declared.get("taken"):
        raise BadInput(f"your organisation already declared a purpose {fields['code']}; revise "
                       "it instead", field="code")
    return declared


def get(graph: Graph, purpose_id: str) -> dict[str, Any]:
    found = repo.get(graph, purpose_id)
    if found is None:
        raise NotFound(f"no purpose with id {purpose_id}", field="purposeId")
    return found


def _stale(graph: Graph, purpose_id: str, version: int, wanted: str) -> Conflict:
    latest = get(graph, purpose_id)
    return Conflict(f"the purpose is at version {latest['version']}, status "
                    f"{latest['status']}; read it again before you {wanted}",
                    currentVersion=latest["version"], currentStatus=latest["status"])


def approve(graph: Graph, principal: Principal, purpose_id: str, version: int
            ) -> dict[str, Any]:
    """The lab's approval of this version: from now on citizens may consent to it."""
    moved = repo.set_status(graph, purpose_id, version, "APPROVED", ["PROPOSED"],
                            principal.person_id or principal.client_id)
    if moved is None:
        raise _stale(graph, purpose_id, version, "approve it")
    return moved


def retire(graph: Graph, principal: Principal, purpose_id: str, version: int
           ) -> dict[str, Any]:
    """No new consents; those given stay until they end (the citizen still sees them)."""
    current = get(graph, purpose_id)
    _owner_or_staff(principal, current)
    moved = repo.set_status(graph, purpose_id, version, "RETIRED", ["PROPOSED", "APPROVED"], None)
    if moved is None:
        raise _stale(graph, purpose_id, version, "retire it")
    return moved


def revise(graph: Graph, principal: Principal, purpose_id: str, version: int,
           values: dict[str, Any]) -> dict[str, Any]:
    """A new version of the terms, waiting for approval again; consents already given keep
    the version they were given for."""
    current = get(graph, purpose_id)
    _owner_or_staff(principal, current)
    changes = _terms({k: v for k, v in values.items() if v is not None and k != "code"},
                     creating=False)
    if not changes:
        raise BadInput("nothing to change: give at least one of the purpose's terms")
    revised = repo.revise(graph, purpose_id, version, changes)
    if revised is None:
        raise _stale(graph, purpose_id, version, "revise it")
    return revised


def _staff(principal: Principal) -> bool:
    return bool(principal.roles & STAFF) or principal.has_scope(ADMIN)


def _owner_or_staff(principal: Principal, purpose: dict[str, Any]) -> None:
    if not _staff(principal):
        require_owner(principal, purpose["organisationId"])


def choices(graph: Graph) -> list[dict[str, Any]]:
    """What a citizen may consent to: every approved purpose, by organisation."""
    return repo.approved(graph)


def for_review(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    """Every purpose, waiting ones first: what lab staff review."""
    if not _staff(principal):
        raise Forbidden("only lab staff review declared purposes")
    return repo.all_for_staff(graph)
