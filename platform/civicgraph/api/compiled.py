"""Let graphql-core return compiled subtrees as they are.

A compiled read already has the client's exact shape: every selected field under its response key,
fragments and directives applied, temporal values as text, ``__typename`` as a literal. Walking it
again field by field (graphql-core's value completion, about 1,500 resolver calls for the
benchmark's nested read) would cost several times the database round trip, so values wrapped in
``Compiled`` are returned without completing their fields. What is given up: a null in a
non-null field of stored data is passed through rather than reported, and the order of keys inside
a compiled object is the database's, not the selection's (JSON objects are unordered).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from functools import partial
from typing import Any

import orjson
from graphql import ExecutionContext

from civicgraph.api.context import ctx
from civicgraph.api.selection import document_key, root_selection
from civicgraph.compiler.cache import PLANS
from civicgraph.compiler.cypher import compile_by_id
from civicgraph.compiler.model import TYPES
from civicgraph.compiler.selection import Selection, shape
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.graph import Graph

CompiledRead = Callable[[Graph, Selection, int, Hashable | None, Visibility], Any]
"""A root field's whole answer from (graph, its selection, page maximum, document key, viewer):
the value its resolver returns, computed from those alone, with no GraphQL machinery."""

READS: dict[Callable[..., Any], CompiledRead] = {}
"""Root resolvers that are nothing but a compiled read, with the read they make. The gateway's
plan cache (gateway/plans.py) runs the read itself for a repeated document, skipping
graphql-core's execution and the selection building; a resolver not named here (one that
narrows the selection by the caller, a mutation, a computed answer) always runs as usual."""


def replayable(resolve: Callable[..., Any], read: CompiledRead) -> Callable[..., Any]:
    """Name ``resolve`` as the resolver that returns exactly ``read``'s value; returns it."""
    READS[resolve] = read
    return resolve


class Compiled(dict[str, Any]):
    """A projection produced by the compiler for this very selection."""


COMPILED = (Compiled, orjson.Fragment)
"""What a compiled read answers for a record: a projection, or the database's JSON text of it
(``compiled_value``); both are written out as they are, never completed field by field."""


def compiled(item: dict[str, Any] | None) -> Compiled | None:
    if item is None:
        return None
    item.pop("__type", None)
    item.pop("__keys", None)
    return Compiled(item)


class CompiledExecutionContext(ExecutionContext):
    def complete_value(self, return_type: Any, field_nodes: Any, info: Any, path: Any,
                       result: Any) -> Any:
        if isinstance(result, COMPILED):
            return result
        return super().complete_value(return_type, field_nodes, info, path, result)


def compiled_value(item: dict[str, Any] | str) -> Compiled | orjson.Fragment:
    """A page item's projection: a map, or the database's JSON text of it, which the response
    carries as it is (compiler/json_text.py)."""
    return orjson.Fragment(item) if isinstance(item, str) else Compiled(item)


def compiled_all(items: list[dict[str, Any]]) -> list[Compiled]:
    return [Compiled(item) for item in items]


def payload_records(info: Any, viewer: Visibility, type_name: str,
                    ids: Mapping[str, str | None]) -> dict[str, Compiled | None]:
    """A mutation payload's records compiled from the client's selection, like any read.

    ``ids`` maps each payload field naming a record (``organisation``, ``a``) to the id of the
    record the mutation wrote; every selection of such a field (aliases each get their own)
    becomes a by-id read of ``type_name`` projected from that selection, under the caller's
    visibility, and the result is keyed by response key, which ``resolvers`` reads first. So a
    payload answers whatever the client selected (``businessId``, ``partners { name }``), not
    a fixed projection. Each record is one statement, run after the write has committed.
    """
    root = root_selection(info)
    document = document_key(info)
    graph = ctx(info).graph
    out: dict[str, Compiled | None] = {}
    for sel in root.children:
        if sel.field not in ids:
            continue
        node_id = ids[sel.field]
        if node_id is None:
            out[sel.key] = None
            continue
        read = Selection(sel.field, sel.key, {"id": node_id}, sel.children, sel.on_type)
        key = None if document is None else (
            document, "payload", type_name, viewer.scope, sel.key, shape(read))
        plan = PLANS.get(key, partial(compile_by_id, TYPES[type_name], read, viewer.scope))
        records = graph.run(plan.cypher, {**plan.params(read), **viewer.params()})
        out[sel.key] = compiled(dict(records[0]["item"])) if records else None
    return out
