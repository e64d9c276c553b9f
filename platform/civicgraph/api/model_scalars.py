"""The model's values in GraphQL: the DateTime and Date scalars, each property's output type,
and the enums of closed sets (one enum per set, shared by a record's field, its filter and the
inputs that write it)."""

from __future__ import annotations

import datetime
from typing import Any

import graphene
from graphql import GraphQLError

from civicgraph.api.enums import code_enum
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
    Prop,
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


OUTPUT = {STRING: graphene.String, INT: graphene.Int, FLOAT: graphene.Float,
           DATE: Date, DATETIME: DateTime, ID: graphene.ID,
           KIND: graphene.String, "Boolean": graphene.Boolean}


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


def is_closed(type_name: str, prop: Prop) -> bool:
    return bool((type_name or prop.enum) and (prop.choices or prop.enum or prop.kind == KIND))


def output(prop: Prop, type_name: str = "") -> Any:
    description = prop.description or None
    deprecation = prop.deprecated or None
    if is_closed(type_name, prop):
        enum = closed_set(type_name, prop)
        if prop.many:
            return graphene.List(graphene.NonNull(enum), description=description,
                                 required=prop.required and not prop.deprecated,
                                 deprecation_reason=deprecation)
        return graphene.Field(enum, required=prop.required and not prop.deprecated,
                              description=description, deprecation_reason=deprecation)
    scalar = OUTPUT[prop.kind]
    if prop.many:
        return graphene.List(graphene.NonNull(scalar), description=description,
                             required=prop.required and not prop.deprecated,
                             deprecation_reason=deprecation)
    return scalar(required=prop.required and not prop.deprecated, description=description,
                  deprecation_reason=deprecation)
