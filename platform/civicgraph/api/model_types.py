"""GraphQL types of the whole graph, built from the compiler's model so the two cannot drift.

Every domain's declared type (the partner graph's, the lab's, ...: ``compiler.model.TYPES``)
gets its object type (implementing ``Node``) and a Relay connection with ``edges``, ``nodes``,
``pageInfo``, ``totalCount`` and ``aggregate``. A relationship declared as a connection gets one
too, with the relationship's own properties on its edges (its own
``<Owner><Field>Connection`` when it has any, else the target's connection). A type's
``…Where`` and ``…Sort`` inputs are built by ``api.model_filters``, its scalars and the enums
of its closed sets by ``api.model_scalars``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import graphene

from civicgraph.api.model_filters import list_args, nested_args
from civicgraph.api.model_scalars import OUTPUT, output
from civicgraph.compiler import nested
from civicgraph.compiler.model import (
    DATE,
    DATETIME,
    FLOAT,
    INT,
    TYPES,
    NodeType,
    Rel,
)


class Node(graphene.Interface):
    """Anything with an id; `node(id:)` finds it whatever its type."""

    id = graphene.ID(required=True)

    @classmethod
    def resolve_type(cls, instance: Any, info: Any) -> Any:
        return OBJECTS[instance["__type"]]


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(required=True)
    start_cursor = graphene.String()
    end_cursor = graphene.String()


def _as_connection(root: Any, info: Any, **kwargs: Any) -> Any:
    """A compiled read gives the connection as it is; a service's record (a mutation's answer)
    gives the related records as a list, served here as one whole page."""
    value = root.get(info.path.key, root.get(info.field_name)) if isinstance(root, dict) else None
    if not isinstance(value, list):
        return value
    edges = [{"cursor": nested.encode(i), "node": item, **item} for i, item in enumerate(value)]
    return {"edges": edges, "nodes": value, "totalCount": len(value),
            "pageInfo": {"hasNextPage": False, "hasPreviousPage": False,
                         "startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": edges[-1]["cursor"] if edges else None}}


def _many(root: Any, info: Any, **kwargs: Any) -> Any:
    value = root.get(info.path.key, root.get(info.field_name)) if isinstance(root, dict) else None
    return value or []


def _object(t: NodeType) -> Any:
    attrs: dict[str, Any] = {"__doc__": t.description,
                             "Meta": type("Meta", (), {"interfaces": (Node,)})}
    for prop in t.props:
        attrs[prop.name] = output(prop, t.name)
    for rel in t.rels:
        target = rel.target
        if rel.connection:
            attrs[rel.name] = graphene.Field(
                graphene.NonNull(lambda t=t, rel=rel: _nested_connection(t, rel)),
                args=nested_args(target), description=rel.description or None,
                resolver=_as_connection)
        elif rel.many:
            attrs[rel.name] = graphene.Field(
                graphene.NonNull(graphene.List(graphene.NonNull(
                    lambda target=target: OBJECTS[target]))),
                args=list_args(target), description=rel.description or None,
                resolver=_many)
        else:
            attrs[rel.name] = graphene.Field(lambda target=target: OBJECTS[target],
                                             description=rel.description or None)
    return type(t.name, (graphene.ObjectType,), attrs)


OBJECTS: dict[str, Any] = {name: _object(t) for name, t in TYPES.items()}


@dataclass
class Edge:
    cursor: str
    node: Any


@dataclass
class Connection:
    """What a connection field resolves to; its fields read these attributes."""

    edges: list[Edge]
    total_count: int
    page_info: PageInfo
    nodes: list[Any] = field(default_factory=list)


def _aggregate_of(kind: str) -> Any:
    """``{min max average}`` of a property of this kind (no average of a date)."""
    name = {INT: "Int", FLOAT: "Float", DATE: "Date", DATETIME: "DateTime"}[kind] + "Aggregate"
    if name not in _AGGREGATE_KINDS:
        scalar = OUTPUT[kind]
        attrs: dict[str, Any] = {
            "__doc__": "The smallest, largest and mean value of a property over a list "
                       "(null when no record of it has one).",
            "min": scalar(description="The smallest (earliest) value."),
            "max": scalar(description="The largest (latest) value."),
        }
        if kind in nested.AVERAGED_KINDS:
            attrs["average"] = graphene.Float(description="The mean value.")
        _AGGREGATE_KINDS[name] = type(name, (graphene.ObjectType,), attrs)
    return _AGGREGATE_KINDS[name]


_AGGREGATE_KINDS: dict[str, Any] = {}


def _aggregate(t: NodeType) -> Any:
    """``<Type>Aggregate { count node { <property> { min max average } } }`` over a whole list,
    as @neo4j/graphql's connection ``aggregate``; computed in the list's own statement, over the
    records the caller may see (a hidden record never moves a figure)."""
    node = type(f"{t.name}AggregateNode", (graphene.ObjectType,), {
        "__doc__": f"Figures over the {t.name} records' numeric and temporal properties.",
        **{p.name: graphene.Field(graphene.NonNull(_aggregate_of(p.kind)),
                                  description=p.description or None)
           for p in nested.aggregated(t)}})
    return type(f"{t.name}Aggregate", (graphene.ObjectType,), {
        "__doc__": f"Figures over a whole list of {t.name} records (every page, filters "
                   "applied), computed only when selected.",
        "count": graphene.Int(required=True, description="How many records the list has."),
        "node": graphene.Field(graphene.NonNull(node), description="Per property.")})


AGGREGATES: dict[str, Any] = {name: _aggregate(t) for name, t in TYPES.items()}
_AGGREGATE_DESCRIPTION = ("Figures over the whole list (count, min/max/average); null only "
                          "where a list is served whole from a mutation's answer.")


def _connection(t: NodeType) -> Any:
    edge = type(f"{t.name}Edge", (graphene.ObjectType,), {
        "cursor": graphene.String(required=True),
        "node": graphene.Field(OBJECTS[t.name], required=True),
        **({"score": graphene.Float(
            description="With `search:`, how well the record matches (higher is better; "
                        "the list is in this order unless `orderBy` says otherwise); else "
                        "null.")} if t.fulltext_index else {})})
    return type(f"{t.name}Connection", (graphene.ObjectType,), {
        "edges": graphene.List(graphene.NonNull(edge), required=True),
        "nodes": graphene.List(graphene.NonNull(OBJECTS[t.name]), required=True),
        "page_info": graphene.Field(PageInfo, required=True),
        "total_count": graphene.Int(required=True),
        "aggregate": graphene.Field(AGGREGATES[t.name], description=_AGGREGATE_DESCRIPTION)})


CONNECTIONS: dict[str, Any] = {name: _connection(t) for name, t in TYPES.items()}
_NESTED: dict[tuple[str, str], Any] = {}


def _nested_connection(owner: NodeType, rel: Rel) -> Any:
    """The target's connection, or, when the relationship has properties, its own with them on
    each edge (``OrganisationPilotsConnection`` with ``role``)."""
    if not rel.edge:
        return CONNECTIONS[rel.target]
    key = (owner.name, rel.name)
    if key not in _NESTED:
        name = owner.name + rel.name[:1].upper() + rel.name[1:]
        edge_attrs: dict[str, Any] = {
            "__doc__": f"A {rel.target} with the relationship's own properties.",
            "cursor": graphene.String(required=True),
            "node": graphene.Field(OBJECTS[rel.target], required=True)}
        for prop in rel.edge:
            edge_attrs[prop.name] = output(prop)
        edge = type(f"{name}Edge", (graphene.ObjectType,), edge_attrs)
        _NESTED[key] = type(f"{name}Connection", (graphene.ObjectType,), {
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "nodes": graphene.List(graphene.NonNull(OBJECTS[rel.target]), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(required=True),
            "aggregate": graphene.Field(AGGREGATES[rel.target],
                                        description=_AGGREGATE_DESCRIPTION)})
    return _NESTED[key]
