"""Reading the partner graph: validate the arguments a client gave, then run one compiled read.

Reads take a ``Selection`` (the GraphQL layer's plain tree of what the client asked for) and a
document key for the plan cache; they return plain dicts keyed by the client's response keys.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from civicgraph.compiler import cursors
from civicgraph.compiler.discovery import MAX_CHAIN, MAX_HOPS
from civicgraph.compiler.model import TYPES
from civicgraph.compiler.records import Wanted
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import PUBLIC, Visibility
from civicgraph.core.access import ADMIN, EXPERT, STAFF, Principal
from civicgraph.core.actor import actor_for
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import reads as repo

Page = repo.Page
SEARCH_MAX = 200


def viewer_for(principal: Principal) -> Visibility:
    """What of TEST-mode partner feeds this caller sees: admins all, a platform's client its
    own platform's records (matched by client id inside the read itself)."""
    if not principal.authenticated:
        return PUBLIC
    actor = actor_for(principal)
    return Visibility(admin=ADMIN in principal.scopes, client_id=principal.client_id,
                      staff=actor.has_any(STAFF), expert=EXPERT in actor.roles,
                      organisation_id=actor.organisation_id, person_id=principal.person_id)


def check_page_args(args: Mapping[str, Any], page_max: int) -> None:
    """Page sizes within 0..page_max and a consistent pair of page arguments; the cursor itself
    is decoded (and refused when forged or from another list) as the statement's parameters
    are filled, before anything runs."""
    for name in ("first", "last"):
        value = args.get(name)
        if value is not None and not 0 <= int(value) <= page_max:
            raise BadInput(f"{name} must be between 0 and {page_max}", field=name,
                           limit="pageSize", max=page_max)
    cursors.window(args)


def connection(graph: Graph, type_name: str, root: Selection, page_max: int,
               document: Hashable | None = None, viewer: Visibility = PUBLIC) -> repo.Page:
    check_page_args(root.args, page_max)
    search = root.args.get("search")
    if search is not None and len(str(search)) > SEARCH_MAX:
        raise BadInput(f"search is longer than {SEARCH_MAX} characters", field="search")
    return repo.connection(graph, type_name, root, document, viewer)


def by_id(graph: Graph, type_name: str, root: Selection,
          document: Hashable | None = None, viewer: Visibility = PUBLIC) -> dict[str, Any] | None:
    return repo.by_id(graph, type_name, root, document, viewer)


def by_ids(graph: Graph, wanted: Sequence[Wanted],
           viewer: Visibility = PUBLIC) -> list[dict[str, dict[str, Any]]]:
    """The records a computed answer names, per field, in one statement (``compiler.records``)."""
    return repo.by_ids(graph, wanted, viewer)


def node(graph: Graph, root: Selection, document: Hashable | None = None,
         viewer: Visibility = PUBLIC) -> dict[str, Any] | None:
    return repo.node(graph, root, document, viewer)


def type_of(item: Mapping[str, Any]) -> str:
    name = str(item.get("__type"))
    if name not in TYPES:
        raise NotFound("no record with this id")
    return name


def _hops(args: Mapping[str, Any], name: str, high: int) -> None:
    value = args.get(name)
    if value is not None and not 1 <= int(value) <= high:
        raise BadInput(f"{name} must be between 1 and {high}", field=name, max=high)


def reach(graph: Graph, root: Selection, page_max: int,
          document: Hashable | None = None, viewer: Visibility = PUBLIC) -> list[dict[str, Any]]:
    _hops(root.args, "hops", MAX_HOPS)
    check_page_args(root.args, page_max)
    found = repo.reach(graph, root, document, viewer)
    if found is None:
        raise NotFound(f"no organisation with id {root.args.get('id')}", field="id")
    return found


def chain(graph: Graph, root: Selection, document: Hashable | None = None,
          viewer: Visibility = PUBLIC) -> dict[str, Any] | None:
    _hops(root.args, "maxHops", MAX_CHAIN)
    if root.args.get("from") == root.args.get("to"):
        raise BadInput("from and to are the same organisation", field="to")
    exists, found = repo.chain(graph, root, document, viewer)
    if not exists:
        raise NotFound("from or to names no organisation", field="from")
    return found


def similar(graph: Graph, root: Selection, page_max: int,
            document: Hashable | None = None,
            viewer: Visibility = PUBLIC) -> list[dict[str, Any]]:
    check_page_args(root.args, page_max)
    found = repo.similar(graph, root, document, viewer)
    if found is None:
        raise NotFound(f"no organisation with id {root.args.get('id')}", field="id")
    return found
