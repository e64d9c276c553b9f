"""Runs compiled reads of the partner graph: one statement per root field.

Plans come from ``compiler.cache.PLANS`` keyed by (document, operation, root response key,
selection shape); parameters are filled from the selection on every call.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j.exceptions import ClientError

from civicgraph.compiler import cursors, discovery, json_text, nested, records
from civicgraph.compiler.cache import PLANS
from civicgraph.compiler.cypher import Plan, compile_by_id, compile_connection, compile_node
from civicgraph.compiler.model import TYPES
from civicgraph.compiler.selection import Selection, shape
from civicgraph.compiler.visibility import PUBLIC, Visibility
from civicgraph.core.errors import BadInput
from civicgraph.core.graph import Graph

LUCENE_REFUSED = "Neo.ClientError.Procedure.ProcedureCallFailed"
"""How Neo4j reports a full-text query its Lucene parser refused."""


@dataclass(frozen=True)
class Page:
    """A page of a connection: its items in order, each with its sort-key values; the total
    when it was selected (None otherwise: it is not computed); whether items lie before and
    after it."""

    total: int | None
    items: list[dict[str, Any]]
    keys: list[Sequence[Any]]
    """Each item's sort-key values and id, from which its cursor is made."""
    bound_to: str
    """The list's fingerprint (``cursors.fingerprint``), which every cursor carries."""
    has_previous: bool
    has_next: bool
    aggregates: dict[str, Any] = field(default_factory=dict)
    """Each ``aggregate`` selection's answer, by response key (over the whole list)."""

    def cursor(self, index: int) -> str:
        """The cursor of the item at ``index``, made only when the client selects it: most
        reads select none, and encoding a cursor per item cost about a tenth of the gateway's
        own CPU for a 10-item page."""
        return cursors.encode(self.bound_to, self.keys[index])


def _plan(kind: str, root: Selection, document: Hashable | None,
          compile_plan: Callable[[], Plan], viewer: Visibility = PUBLIC,
          as_text: bool = False) -> Plan:
    # The visibility predicate's text depends on the caller's scope: one plan per scope.
    key = None if document is None else (document, kind, viewer.scope, root.key, shape(root),
                                         as_text)
    return PLANS.get(key, compile_plan)


def _run(graph: Graph, plan: Plan, root: Selection, viewer: Visibility) -> list[Any]:
    # The text is built by the compiler from constants only; values are all in the parameters.
    records = graph.run((plan.cypher), plan.with_caller(root, viewer.params()))
    if nested.any_refused(plan.cypher, records):
        raise BadInput("the cursor belongs to another record's list; page each list with "
                       "its own cursors", field="after")
    return records


def connection(graph: Graph, type_name: str, root: Selection,
               document: Hashable | None = None,
               viewer: Visibility = PUBLIC) -> Page:
    node_type = TYPES[type_name]
    window = cursors.window(root.args)
    # Items as JSON text when the caller writes the answer out as it is (json_text.py).
    as_text = json_text.WANTED.get() and json_text.available(graph)
    plan = _plan("connection:" + type_name, root, document,
                 lambda: compile_connection(node_type, root, viewer.scope, as_text), viewer,
                 as_text)
    try:
        row = _run(graph, plan, root, viewer)[0]
    except ClientError as exc:
        # The compiler quotes every word of a search as a Lucene term, so Lucene should never
        # refuse one; if it still does, the search is what the caller must change.
        if root.args.get("search") is None or exc.code != LUCENE_REFUSED:
            raise
        raise BadInput("the search could not be read as words", field="search") from exc
    items = [dict(item) for item in row["items"]]
    more = len(items) > window.size
    items = items[:window.size]
    if window.reversed:
        items.reverse()
    other = bool(row["other"]) if window.cursor is not None else False
    bound = cursors.fingerprint(root.field, root.args)
    keys = [item.pop("__keys") for item in items]
    total = None if row["total"] is None else int(row["total"])
    aggregates = dict(row.get("aggregates") or {})
    if window.reversed:
        return Page(total, items, keys, bound, has_previous=more, has_next=other,
                    aggregates=aggregates)
    return Page(total, items, keys, bound, has_previous=other, has_next=more,
                aggregates=aggregates)


def by_id(graph: Graph, type_name: str, root: Selection,
          document: Hashable | None = None,
          viewer: Visibility = PUBLIC) -> dict[str, Any] | None:
    node_type = TYPES[type_name]
    plan = _plan("id:" + type_name, root, document,
                 lambda: compile_by_id(node_type, root, viewer.scope), viewer)
    records = _run(graph, plan, root, viewer)
    return dict(records[0]["item"]) if records else None


def node(graph: Graph, root: Selection, document: Hashable | None = None,
         viewer: Visibility = PUBLIC) -> dict[str, Any] | None:
    plan = _plan("node", root, document, lambda: compile_node(root, viewer.scope), viewer)
    records = _run(graph, plan, root, viewer)
    return dict(records[0]["item"]) if records and records[0]["item"] is not None else None


def reach(graph: Graph, root: Selection,
          document: Hashable | None = None,
          viewer: Visibility = PUBLIC) -> list[dict[str, Any]] | None:
    """Partners of partners; None when the starting organisation does not exist."""
    plan = _plan("reach", root, document,
                 lambda: discovery.compile_reach(root, viewer.scope), viewer)
    records = _run(graph, plan, root, viewer)
    return [dict(i) for i in records[0]["items"]] if records else None


def chain(graph: Graph, root: Selection,
          document: Hashable | None = None,
          viewer: Visibility = PUBLIC) -> tuple[bool, dict[str, Any] | None]:
    """(both organisations exist, the chain or None when they are not connected)."""
    plan = _plan("chain", root, document,
                 lambda: discovery.compile_chain(root, viewer.scope), viewer)
    records = _run(graph, plan, root, viewer)
    if not records:
        return False, None
    item = records[0]["item"]
    return True, dict(item) if item is not None else None


def similar(graph: Graph, root: Selection,
            document: Hashable | None = None,
          viewer: Visibility = PUBLIC) -> list[dict[str, Any]] | None:
    plan = _plan("similar", root, document,
                 lambda: discovery.compile_similar(root, viewer.scope), viewer)
    records = _run(graph, plan, root, viewer)
    return [dict(i) for i in records[0]["items"]] if records else None


def by_ids(graph: Graph, wanted: Sequence[records.Wanted],
           viewer: Visibility = PUBLIC) -> list[dict[str, dict[str, Any]]]:
    """For each wanted field, its visible records by id, all read in one statement."""
    if not wanted:
        return []
    plan = records.compile_by_ids(wanted, viewer.scope)
    row = _run(graph, plan, records.root(wanted), viewer)[0]
    return [{str(pair[0]): dict(pair[1]) for pair in row[f"g{i}"]} for i in range(len(wanted))]
