"""Registering organisations and linking them as partners.

The properties' rules are the partner graph model's (``compiler.model.ORGANISATION``), so the
console, the CLI, the feeds and the seeders obey the same ones as the API. ``KIND_LABELS`` (the
kinds and their labels) and ``name_key`` are the partner graph's public face for other domains.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.compiler.model import KIND_LABELS as KIND_LABELS
from civicgraph.compiler.model import ORGANISATION
from civicgraph.core.access import Principal, require_owner
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import organisations as repo
from civicgraph.partner_graph.service.reads import viewer_for

PAGE_MAX = 100


def name_key(name: str, region: str) -> str:
    """Name and region as compared for duplicates: case and spacing do not make a new name."""
    return " ".join(name.casefold().split()) + "|" + " ".join(region.casefold().split())


def register(
    graph: Graph, *, name: str | None, kind: str | None, region: str | None,
    description: str | None, region_code: str | None = None,
) -> dict[str, Any]:
    """A new organisation; its properties obey the model's rules (compiler.model), as an update,
    a feed or a seed does. A description not given is stored empty."""
    fields = ORGANISATION.clean({"name": name, "kind": kind, "region": region,
                                 "regionCode": region_code, "description": description or ""},
                                creating=True)
    fields["id"] = str(uuid.uuid4())
    fields["nameKey"] = name_key(fields["name"], fields["region"])
    return repo.create(graph, fields, KIND_LABELS[fields["kind"]])


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
