"""The model's inputs in GraphQL: each type's ``…Where`` filter (one operator input per scalar,
its relationship quantifiers and counts, AND/OR/NOT), its ``…Sort`` and the arguments of root
and nested lists. Built from the compiler's model, as the types are (``api.model_types``)."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.enums import code_enum
from civicgraph.api.model_scalars import (
    Date,
    DateTime,
    OrganisationKind,
    SortDirection,
    closed_set,
    is_closed,
)
from civicgraph.compiler import nested
from civicgraph.compiler.model import (
    DATE,
    DATETIME,
    FLOAT,
    ID,
    INT,
    KIND,
    STRING,
    TYPES,
    NodeType,
    Prop,
    Rel,
)


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


_FILTERS: dict[str, type] = {STRING: StringFilter, INT: IntFilter, FLOAT: FloatFilter,
                             DATE: DateFilter, DATETIME: DateTimeFilter, ID: IDFilter,
                             KIND: KindFilter}
_REL_FILTER_TYPES: dict[str, Any] = {STRING: graphene.String, ID: graphene.ID,
                                     "Boolean": graphene.Boolean, "Capability": CapabilityFilter}


def _scalar_filters(props: tuple[Prop, ...], attrs: dict[str, Any], type_name: str = "") -> None:
    for prop in props:
        if not prop.filter or prop.many or prop.expr:
            continue
        if prop.kind != KIND and is_closed(type_name, prop):
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
