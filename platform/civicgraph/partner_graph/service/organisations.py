"""Registering organisations and linking them as partners.

Validation lives here rather than in GraphQL so that the console, the CLI and the seeders obey the
same rules as the API.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core.access import Principal, require_owner
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.core.tasks import TaskQueue, TaskStatus
from civicgraph.partner_graph.cypher import organisations as repo
from civicgraph.partner_graph.service.reads import viewer_for

# GraphQL enum value -> the node's kind label (docs/graph-model.md lists both).
KIND_LABELS: dict[str, str] = {
    "AGENCY": "Agency",
    "START_UP": "StartUp",
    "EMPLOYER": "Employer",
    "TRAINING_PROVIDER": "TrainingProvider",
    "THIRD_SECTOR": "ThirdSector",
    "RESEARCH": "Research",
}

NAME_MAX = 200
REGION_MAX = 100
DESCRIPTION_MAX = 4000
PAGE_MAX = 100



def name_key(name: str, region: str) -> str:
    """Name and region as compared for duplicates: case and spacing do not make a new name."""
    return " ".join(name.casefold().split()) + "|" + " ".join(region.casefold().split())


def _text(value: str | None, field: str, limit: int, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise BadInput(f"{field} is required", field=field)
    if len(text) > limit:
        raise BadInput(f"{field} is {len(text)} characters long; the limit is {limit}", field=field)
    return text


def register(
    graph: Graph, *, name: str | None, kind: str | None, region: str | None, description: str | None
) -> dict[str, Any]:
    clean_name = _text(name, "name", NAME_MAX, required=True)
    clean_region = _text(region, "region", REGION_MAX, required=True)
    clean_description = _text(description, "description", DESCRIPTION_MAX, required=False)
    if kind not in KIND_LABELS:
        raise BadInput(
            f"kind {kind!r} is not known; use one of {', '.join(KIND_LABELS)}", field="kind"
        )
    fields = {
        "id": str(uuid.uuid4()),
        "name": clean_name,
        "nameKey": name_key(clean_name, clean_region),
        "kind": kind,
        "region": clean_region,
        "description": clean_description,
    }
    return repo.create(graph, fields, KIND_LABELS[kind])


def link_partners(
    graph: Graph, a: str, b: str, since: dt.date | None, *, principal: Principal
) -> dict[str, Any]:
    """Idempotent: linking a pair again returns the existing partnership unchanged.

    A partner's client may link only its own organisation (to anyone); admin may link any pair.
    """
    require_owner(principal, a, b)
    if a == b:
        raise BadInput("an organisation cannot partner with itself", field="b")
    linked = repo.link(graph, a, b, since)
    if linked is None:
        found = repo.existing_ids(graph, [a, b])
        missing = [x for x in (a, b) if x not in found]
        raise NotFound(f"no organisation with id {', '.join(missing)}", ids=missing)
    return linked


def choices(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    """Up to PAGE_MAX organisations by name for a form's list (TEST-mode feeds' kept out)."""
    return repo.choices(graph, PAGE_MAX, viewer_for(principal))


# The worker task that runs recompute_partner_counts (partner_graph.tasks) is sent by this name.
RECOMPUTE_PARTNER_COUNTS = "civicgraph.recompute_partner_counts"


def request_partner_count_recompute(queue: TaskQueue) -> TaskStatus:
    return queue.enqueue(RECOMPUTE_PARTNER_COUNTS)


def recompute_partner_counts(graph: Graph) -> dict[str, int]:
    """Store each organisation's number of partners on it; run by a worker, not a request."""
    return {"organisationsUpdated": repo.recompute_partner_counts(graph)}
