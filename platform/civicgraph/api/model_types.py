"""GraphQL types of the whole graph, built from the compiler's model so the two cannot drift.

Every domain's declared type (the partner graph's, the lab's, ...: ``compiler.model.TYPES``)
gets its object type (implementing ``Node``), a ``…Where`` filter input (one operator input per
scalar, plus its relationship filters), a ``…Sort`` input and its sort-field enum, and a Relay
connection with ``edges``, ``nodes``, ``pageInfo`` and ``totalCount``. A relationship declared
as a connection gets one too, with the relationship's own properties on its edges (its own
``<Owner><Field>Connection`` when it has any, else the target's connection).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import graphene
from graphql import GraphQLError

from civicgraph.api.enums import code_enum
from civicgraph.compiler import nested
from civicgraph.compiler.model import (
    DATE,
    DATETIME,
    FLOAT,
    ID,
    INT,
    KIND,
    KIND_LABELS,
    KIND_MEANINGS,
    STRING,
    TYPES,
    NodeType,
    Prop,
    Rel,
)


class DateTime(graphene.DateTime):
    """An ISO-8601 date and time with its offset (`2026-01-02T03:04:05Z`), in and out."""

    class Meta:
        name = "DateTime"

    @staticmethod
    def serialize(dt: Any) -> str:
        # Services and compiled reads give ISO text (Cypher's toString); it is checked as a
        # date-time, never passed through unread.
        if isinstance(dt, str):
            try:
                datetime.datetime.fromisoformat(dt.replace("Z", "+00:00"))
            except ValueError as exc:
                raise GraphQLError(f"DateTime cannot represent value: {dt!r}") from exc
            return dt
        native = getattr(dt, "to_native", None)
        return str(graphene.DateTime.serialize(native() if native else dt))


class Date(graphene.Date):
    """An ISO-8601 calendar date (`2026-01-02`), in and out."""

    class Meta:
        name = "Date"

    @staticmethod
    def serialize(date: Any) -> str:
        if isinstance(date, str):
            try:
                datetime.date.fromisoformat(date[:10])
            except ValueError as exc:
                raise GraphQLError(f"Date cannot represent value: {date!r}") from exc
            return date[:10]
        native = getattr(date, "to_native", None)
        return str(graphene.Date.serialize(native() if native else date))


OrganisationKind = code_enum("OrganisationKind", {k: KIND_MEANINGS[k] for k in KIND_LABELS},
                             "What kind of organisation it is.")
SortDirection = code_enum("SortDirection", {"ASC": "Smallest, earliest or A first.",
                                            "DESC": "Largest, latest or Z first."},
                          "Which way a sort runs.")


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


class StringFilter(graphene.InputObjectType):
    eq = graphene.String()
    in_ = graphene.List(graphene.NonNull(graphene.String), name="in")
    contains = graphene.String()
    startsWith = graphene.String()
    endsWith = graphene.String()


class IDFilter(graphene.InputObjectType):
    eq = graphene.ID()
    in_ = graphene.List(graphene.NonNull(graphene.ID), name="in")


class IntFilter(graphene.InputObjectType):
    eq = graphene.Int()
    in_ = graphene.List(graphene.NonNull(graphene.Int), name="in")
    gt = graphene.Int()
    gte = graphene.Int()
    lt = graphene.Int()
    lte = graphene.Int()


class FloatFilter(graphene.InputObjectType):
    eq = graphene.Float()
    gt = graphene.Float()
    gte = graphene.Float()
    lt = graphene.Float()
    lte = graphene.Float()


class DateFilter(graphene.InputObjectType):
    eq = Date()
    gt = Date()
    gte = Date()
    lt = Date()
    lte = Date()


class DateTimeFilter(graphene.InputObjectType):
    eq = DateTime()
    gt = DateTime()
    gte = DateTime()
    lt = DateTime()
    lte = DateTime()


class KindFilter(graphene.InputObjectType):
    eq = OrganisationKind()
    in_ = graphene.List(graphene.NonNull(OrganisationKind), name="in")


class CapabilityFilter(graphene.InputObjectType):
    fields = graphene.List(graphene.NonNull(graphene.String), default_value=[],
                           description="Field codes.")
    skills = graphene.List(graphene.NonNull(graphene.String), default_value=[],
                           description="Skill URIs.")


_OUTPUT = {STRING: graphene.String, INT: graphene.Int, FLOAT: graphene.Float,
           DATE: Date, DATETIME: DateTime, ID: graphene.ID,
           KIND: graphene.String, "Boolean": graphene.Boolean}
_FILTERS: dict[str, type] = {STRING: StringFilter, INT: IntFilter, FLOAT: FloatFilter,
                             DATE: DateFilter, DATETIME: DateTimeFilter, ID: IDFilter,
                             KIND: KindFilter}
_REL_FILTER_TYPES: dict[str, Any] = {STRING: graphene.String, ID: graphene.ID,
                                     "Boolean": graphene.Boolean, "Capability": CapabilityFilter}


_ENUMS: dict[str, Any] = {}


def closed_set(type_name: str, prop: Prop) -> Any:
    """The enum of a property with a closed set of values; an organisation's kind is
    ``OrganisationKind``.

    A set the model states (``choices`` and their ``meanings``) is built here. A set whose table
    is its domain's service (a lab lifecycle's statuses, a pilot's operating model) is named by
    the property (``Prop.enum``) and built by the domain's API from that table (``register``);
    the model's types refer to it lazily, so one enum serves a record's field, its filter and
    the inputs that write it."""
    if prop.kind == KIND:
        return OrganisationKind
    if not prop.choices:
        return lambda name=prop.enum: _ENUMS[name]
    name = prop.enum or type_name + prop.name[:1].upper() + prop.name[1:]
    if name not in _ENUMS:
        if len(prop.meanings) != len(prop.choices):
            raise ValueError(f"{name}: each of {prop.choices} needs its meaning")
        _ENUMS[name] = code_enum(name, dict(zip(prop.choices, prop.meanings, strict=True)),
                                 prop.description or f"The values of {type_name}.{prop.name}.")
    return _ENUMS[name]


def register(enum: Any) -> Any:
    """Make a domain's enum (built from its service's table) the one the model's fields of that
    set (``Prop.enum``) serve."""
    name = enum._meta.name
    if name in _ENUMS and _ENUMS[name] is not enum:
        raise ValueError(f"two enums named {name}")
    _ENUMS[name] = enum
    return enum


def _is_closed(type_name: str, prop: Prop) -> bool:
    return bool((type_name or prop.enum) and (prop.choices or prop.enum or prop.kind == KIND))


def _output(prop: Prop, type_name: str = "") -> Any:
    description = prop.description or None
    deprecation = prop.deprecated or None
    if _is_closed(type_name, prop):
        enum = closed_set(type_name, prop)
        if prop.many:
            return graphene.List(graphene.NonNull(enum), description=description,
                                 required=prop.required and not prop.deprecated,
                                 deprecation_reason=deprecation)
        return graphene.Field(enum, required=prop.required and not prop.deprecated,
                              description=description, deprecation_reason=deprecation)
    scalar = _OUTPUT[prop.kind]
    if prop.many:
        return graphene.List(graphene.NonNull(scalar), description=description,
                             required=prop.required and not prop.deprecated,
                             deprecation_reason=deprecation)
    return scalar(required=prop.required and not prop.deprecated, description=description,
                  deprecation_reason=deprecation)


def _scalar_filters(props: tuple[Prop, ...], attrs: dict[str, Any], type_name: str = "") -> None:
    for prop in props:
        if not prop.filter or prop.many or prop.expr:
            continue
        if prop.kind != KIND and _is_closed(type_name, prop):
            attrs[prop.name] = graphene.InputField(_choice_filter(type_name, prop))
        elif prop.kind in _FILTERS:
            attrs[prop.name] = graphene.InputField(_FILTERS[prop.kind])


_CHOICE_FILTERS: dict[str, Any] = {}


def _choice_filter(type_name: str, prop: Prop) -> Any:
    enum = closed_set(type_name, prop)
    name = f"{prop.enum or enum._meta.name}Filter"
    if name not in _CHOICE_FILTERS:
        _CHOICE_FILTERS[name] = type(name, (graphene.InputObjectType,), {
            "__doc__": "Matches one value of the set, or any of several.",
            "eq": graphene.InputField(enum, description="This value."),
            "in_": graphene.InputField(graphene.List(graphene.NonNull(enum)), name="in",
                                       description="Any of these values.")})
    return _CHOICE_FILTERS[name]


def _quantifier(owner: NodeType, rel: Rel) -> Any:
    """``some``/``none``/``all``/``single`` over the related type's where (with the
    relationship's properties beside it when it has any)."""
    if rel.edge:
        name = owner.name + rel.name[:1].upper() + rel.name[1:]
        edge_attrs: dict[str, Any] = {"__doc__": f"The {rel.rel_type} relationship's properties."}
        _scalar_filters(rel.edge, edge_attrs)
        edge_where = type(f"{name}EdgeWhere", (graphene.InputObjectType,), edge_attrs)
        operand: Any = type(f"{name}Where", (graphene.InputObjectType,), {
            "__doc__": "The related node's where and the relationship's, both to hold.",
            "node": graphene.InputField(lambda target=rel.target: WHERE[target]),
            "edge": graphene.InputField(edge_where)})
        type_name = f"{name}Quantifier"
    else:
        operand = None
        type_name = f"{rel.target}Quantifier"
        if type_name in _QUANTIFIERS:
            return _QUANTIFIERS[type_name]

    def of() -> Any:
        return operand if operand is not None else WHERE[rel.target]
    attrs = {
        "__doc__": "How many of the related records must match.",
        "some": graphene.InputField(of, description="At least one."),
        "none": graphene.InputField(of, description="None."),
        "all": graphene.InputField(of, description="Every one (true when there are none)."),
        "single": graphene.InputField(of, description="Exactly one."),
    }
    _QUANTIFIERS[type_name] = type(type_name, (graphene.InputObjectType,), attrs)
    return _QUANTIFIERS[type_name]


_QUANTIFIERS: dict[str, Any] = {}


def _where(t: NodeType) -> Any:
    attrs: dict[str, Any] = {"__doc__": f"Filters on {t.name}; every given condition must hold."}
    _scalar_filters(t.props, attrs, t.name)
    for rel_filter in t.rel_filters:
        attrs[rel_filter.name] = graphene.InputField(
            _REL_FILTER_TYPES[rel_filter.kind], description=rel_filter.description)
    for rel in t.rels:
        if rel.many:
            attrs[rel.name] = graphene.InputField(
                _quantifier(t, rel), description=f"On its {rel.name}.")
            attrs[rel.name + "Count"] = graphene.InputField(
                IntFilter, description=f"How many {rel.name} it has (that you may see).")
        else:
            attrs[rel.name + "Where"] = graphene.InputField(
                lambda target=rel.target: WHERE[target],
                description=f"Its {rel.name} exists and matches.")
    name = t.name
    attrs["AND"] = graphene.InputField(
        graphene.List(graphene.NonNull(lambda: WHERE[name])), description="Each must hold.")
    attrs["OR"] = graphene.InputField(
        graphene.List(graphene.NonNull(lambda: WHERE[name])), description="One must hold.")
    attrs["NOT"] = graphene.InputField(lambda: WHERE[name], description="Must not hold.")
    return type(f"{t.name}Where", (graphene.InputObjectType,), attrs)


def _sort(t: NodeType) -> Any:
    fields = code_enum(f"{t.name}SortField",
                       {p.name: f"By {p.name}" + (f": {p.description}" if p.description else ".")
                        for p in t.props if p.order},
                       f"What a list of {t.name} records is sorted by.")
    attrs = {"field": graphene.InputField(fields, required=True),
             "direction": graphene.InputField(SortDirection, default_value="ASC")}
    return type(f"{t.name}Sort", (graphene.InputObjectType,), attrs)


WHERE: dict[str, Any] = {name: _where(t) for name, t in TYPES.items()}
SORT: dict[str, Any] = {name: _sort(t) for name, t in TYPES.items()}


def list_args(type_name: str) -> dict[str, Any]:
    return {
        "first": graphene.Int(description="How many, 0 to the page-size limit (100)."),
        "where": WHERE[type_name](),
        "order_by": graphene.List(graphene.NonNull(SORT[type_name])),
    }


def connection_args(type_name: str) -> dict[str, Any]:
    args = list_args(type_name)
    args.update(
        after=graphene.String(description="An endCursor: the page after it."),
        last=graphene.Int(description="The last items (of the whole list, or before `before`)."),
        before=graphene.String(description="A startCursor: the page before it."),
    )
    if TYPES[type_name].fulltext_index:
        args["search"] = graphene.String(
            description="Full-text search (words, any order; best match first, each edge "
                        "with its `score`) over its name or title and description.")
    return args


def nested_args(type_name: str) -> dict[str, Any]:
    args = list_args(type_name)
    args.update(
        after=graphene.String(description="An endCursor of this list: the page after it."),
        last=graphene.Int(description="The last items (of the whole list, or before `before`)."),
        before=graphene.String(description="A startCursor of this list: the page before it."),
    )
    args["first"] = graphene.Int(
        description=f"How many, 0 to {nested.NESTED_MAX} (default {nested.DEFAULT}).")
    return args


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
        attrs[prop.name] = _output(prop, t.name)
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
        scalar = _OUTPUT[kind]
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
            edge_attrs[prop.name] = _output(prop)
        edge = type(f"{name}Edge", (graphene.ObjectType,), edge_attrs)
        _NESTED[key] = type(f"{name}Connection", (graphene.ObjectType,), {
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "nodes": graphene.List(graphene.NonNull(OBJECTS[rel.target]), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(required=True),
            "aggregate": graphene.Field(AGGREGATES[rel.target],
                                        description=_AGGREGATE_DESCRIPTION)})
    return _NESTED[key]
