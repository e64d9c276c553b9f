"""Operation plans: a repeated query whose root fields are all compiled reads skips graphql-core.

A compiled read's answer is made by its statement (``api/compiled.py``); what graphql-core adds
on such a request is overhead: building the execution context, collecting fields, calling the
root resolver through its machinery, turning the resolve info into a ``Selection`` again,
completing the connection's wrapper levels (edges, pageInfo, cursors) value by value. On the
benchmark's nested read that was about as much CPU as the driver's own work, on a machine where
the gateway's CPU is taken from Neo4j's.

So the first time a (document text, operation name, variables, limits) arrives, and every root
field of its operation is a read named in ``api.compiled.READS``, graphql-core's own parts
(``ExecutionContext.build`` to coerce the variables, ``collect_fields`` / ``collect_subfields``
to apply fragments, aliases and ``@skip``/``@include``) are used once to make a plan: per root
field its ``Selection`` (as ``api/selection.py`` builds it from the same resolve info), its
read, and a precomputed ``Shape`` that completes the read's value as graphql-core's
``complete_value`` would (aliases, ``__typename``, each leaf through its scalar's
``serialize``, ``Compiled`` subtrees as they are). A repeat runs the reads and shapes their
values. Nothing else changes: parsing, validation, limits and the access policy run before the
plan is looked up, every read goes through its domain's service (cursor checks, page limits,
visibility of the caller, statement metrics), and a field's error is located and collected as
graphql-core does.

What is not a plan's: a document whose variables graphql-core refuses, an operation with any
other root field (a mutation, introspection, a resolver that narrows by the caller), a wrapper
type graphql-core would check with ``is_type_of`` or an abstract one. Those, and a read whose
value the shape cannot complete exactly (a null in a non-null field), take the usual path.
Entries are kept per variables' JSON, so a new value is a new entry; the cache is an LRU.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    Undefined,
    is_abstract_type,
    is_leaf_type,
    located_error,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields
from graphql.execution.execute import ExecutionContext
from graphql.pyutils import Path

from civicgraph.api.compiled import COMPILED, READS, CompiledRead
from civicgraph.api.context import RequestContext
from civicgraph.api.limits import Limits
from civicgraph.api.selection import document_key, root_selection
from civicgraph.compiler.selection import Selection
from civicgraph.partner_graph.service.reads import viewer_for

SIZE = 512


class NotShaped(Exception):
    """The value is not one the shape completes exactly as graphql-core would."""


class Shape:
    """Completes one field's value as graphql-core's ``complete_value`` does for it."""

    def __call__(self, value: Any) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Shape):
    serialize: Any
    non_null: bool

    def __call__(self, value: Any) -> Any:
        if value is None or value is Undefined:
            if self.non_null:
                raise NotShaped
            return None
        try:
            out = self.serialize(value)
        except Exception as exc:
            raise NotShaped from exc
        if out is Undefined:
            raise NotShaped
        return out


@dataclass(frozen=True)
class ListOf(Shape):
    item: Shape
    non_null: bool

    def __call__(self, value: Any) -> Any:
        if value is None:
            if self.non_null:
                raise NotShaped
            return None
        if not isinstance(value, list | tuple):
            raise NotShaped
        item = self.item
        return [item(v) for v in value]


@dataclass(frozen=True)
class Object(Shape):
    """A wrapper object (connection, edge, pageInfo): read as ``api.resolvers`` reads a dict,
    by response key first, then by field name; ``fields`` holds (response key, field name,
    shape), the shape ``None`` for ``__typename``."""

    type_name: str
    fields: tuple[tuple[str, str, Shape | None], ...]
    non_null: bool

    def __call__(self, value: Any) -> Any:
        if value is None:
            if self.non_null:
                raise NotShaped
            return None
        if isinstance(value, COMPILED):
            return value
        if not isinstance(value, dict):
            raise NotShaped
        out: dict[str, Any] = {}
        for key, name, shape in self.fields:
            if shape is None:
                out[key] = self.type_name
            elif key in value:
                out[key] = shape(value[key])
            elif name in value:
                out[key] = shape(value[name])
            else:  # graphene's attribute resolver would be asked: not ours to guess
                raise NotShaped
        return out


@dataclass(frozen=True)
class CompiledOnly(Shape):
    """A field of an interface or union type: only a compiled subtree (or a null) is taken,
    since graphql-core would resolve the runtime type of anything else."""

    non_null: bool

    def __call__(self, value: Any) -> Any:
        if value is None:
            if self.non_null:
                raise NotShaped
            return None
        if isinstance(value, COMPILED):
            return value
        raise NotShaped


def _shape(context: ExecutionContext, return_type: GraphQLType,
           field_nodes: list[FieldNode]) -> Shape | None:
    """The shape of a field of ``return_type`` selected by ``field_nodes``; None when
    graphql-core would do more than this module repeats."""
    non_null = isinstance(return_type, GraphQLNonNull)
    inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    if isinstance(inner, GraphQLList):
        item = _shape(context, inner.of_type, field_nodes)
        return None if item is None else ListOf(item, non_null)
    if is_leaf_type(inner):
        return Leaf(inner.serialize, non_null)  # type: ignore[union-attr]
    if is_abstract_type(inner):
        return CompiledOnly(non_null)
    if not isinstance(inner, GraphQLObjectType) or inner.is_type_of is not None:
        return None
    sub = collect_sub_fields(context.schema, context.fragments, context.variable_values,
                            inner, field_nodes)
    fields: list[tuple[str, str, Shape | None]] = []
    for key, nodes in sub.items():
        name = nodes[0].name.value
        if name == "__typename":
            fields.append((key, name, None))
            continue
        definition = inner.fields.get(name)
        if definition is None:
            return None
        shape = _shape(context, definition.type, nodes)
        if shape is None:
            return None
        fields.append((key, name, shape))
    return Object(inner.name, tuple(fields), non_null)


@dataclass(frozen=True)
class RootRead:
    """One root field of a plan: the read with its selection, or ``__typename``."""

    key: str
    read: CompiledRead | None
    selection: Selection | None
    field_nodes: tuple[FieldNode, ...]
    non_null: bool
    shape: Shape | None
    document: Hashable | None


@dataclass(frozen=True)
class Plan:
    root_type: str
    roots: tuple[RootRead, ...]


def build(schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any] | None,
          operation_name: str | None, context: RequestContext) -> Plan | None:
    """The plan of a query whose root fields are all compiled reads, else None."""
    built = ExecutionContext.build(schema, document, None, context, variables, operation_name)
    if isinstance(built, list):  # variables refused: the usual path reports them
        return None
    operation = built.operation
    if operation.operation.value != "query":
        return None
    root_type = schema.query_type
    if root_type is None:
        return None
    fields = collect_fields(schema, built.fragments, built.variable_values, root_type,
                            operation.selection_set)
    roots: list[RootRead] = []
    for key, nodes in fields.items():
        name = nodes[0].name.value
        if name == "__typename":
            roots.append(RootRead(key, None, None, tuple(nodes), True, None, None))
            continue
        definition: GraphQLField | None = root_type.fields.get(name)
        read = READS.get(definition.resolve) if definition and definition.resolve else None
        if definition is None or read is None:
            return None
        shape = _shape(built, definition.type, nodes)
        if shape is None:
            return None
        info = built.build_resolve_info(definition, nodes, root_type, Path(None, key, None))
        roots.append(RootRead(key, read, root_selection(info), tuple(nodes),
                              isinstance(definition.type, GraphQLNonNull), shape,
                              document_key(info)))
    return Plan(root_type.name, tuple(roots))


def execute(plan: Plan, context: RequestContext) -> ExecutionResult:
    """Run the plan's reads in order, as graphql-core runs a query's root fields: a field's
    error is located at it and collected; a non-null field's error nulls the whole data and
    stops there. Raises ``NotShaped`` when a value needs graphql-core's own completion."""
    viewer = viewer_for(context.principal)
    limit = context.limits.max_page_size
    data: dict[str, Any] | None = {}
    errors: list[GraphQLError] = []
    for root in plan.roots:
        assert data is not None
        if root.read is None:
            data[root.key] = plan.root_type
            continue
        assert root.selection is not None and root.shape is not None
        try:
            value = root.read(context.graph, root.selection, limit, root.document, viewer)
        except Exception as exc:
            errors.append(located_error(exc, list(root.field_nodes), [root.key]))
            if root.non_null:
                data = None
                break
            data[root.key] = None
            continue
        data[root.key] = root.shape(value)
    return ExecutionResult(data, errors or None)


class Plans:
    """The LRU of plans (and of documents found not to be plans: None), thread-safe."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._plans: OrderedDict[Hashable, Plan | None] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def key(self, query: str, operation_name: str | None, variables: dict[str, Any] | None,
            limits: Limits) -> Hashable | None:
        try:
            values = json.dumps(variables, sort_keys=True) if variables else ""
        except (TypeError, ValueError):
            return None
        return (query, operation_name, values, limits)

    def planned(self, key: Hashable) -> bool:
        """Whether the document of ``key`` was made a plan (and is still kept)."""
        with self._lock:
            return self._plans.get(key) is not None

    def get(self, key: Hashable) -> tuple[bool, Plan | None]:
        with self._lock:
            if key not in self._plans:
                return False, None
            self._plans.move_to_end(key)
            self.hits += 1
            return True, self._plans[key]

    def put(self, key: Hashable, plan: Plan | None) -> None:
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()
            self.hits = 0


PLANS = Plans()

__all__: Sequence[str] = ("PLANS", "NotShaped", "Plan", "build", "execute")
