"""Create, update and delete mutations for every partner-graph type, built from the model.

``update…`` and ``delete…`` name the ``version`` the client read: a stale one is a CONFLICT
carrying ``currentVersion``. Each mutation is one statement that also returns the record shaped by
the client's selection.
"""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import compiled
from civicgraph.api.context import ctx
from civicgraph.api.model_scalars import Date, closed_set
from civicgraph.api.selection import root_selection
from civicgraph.compiler.model import DATE, FLOAT, ID, INT, KIND, PARTNER_GRAPH_TYPES, TYPES
from civicgraph.partner_graph.api.types import OBJECTS, OrganisationKind
from civicgraph.partner_graph.service import writes

_INPUT = {INT: graphene.Int, FLOAT: graphene.Float, DATE: Date, ID: graphene.ID,
          KIND: OrganisationKind}


def record_field(type_name: str) -> str:
    return type_name[0].lower() + type_name[1:]


def _input(type_name: str, creating: bool) -> Any:
    attrs: dict[str, Any] = {}
    if not creating:
        attrs["id"] = graphene.InputField(graphene.ID, required=True)
        attrs["version"] = graphene.InputField(graphene.Int, required=True,
                                               description="The version you read.")
    props = {p.name: p for p in TYPES[type_name].props}
    for name, kind, required in writes.writable(type_name):
        # A closed set is written as the enum it is read as (Vacancy.status, PartnerPlatform.mode).
        closed = props[name].choices and closed_set(type_name, props[name])
        attrs[name] = graphene.InputField(closed or _INPUT.get(kind, graphene.String),
                                          required=creating and required)
    for rel in writes.REL_INPUTS[type_name]:
        scalar = graphene.ID if rel.key == "id" else graphene.String
        target = f"{rel.target} {rel.key}"
        if rel.many:
            attrs[rel.name] = graphene.InputField(
                graphene.List(graphene.NonNull(scalar)),
                description=f"Each a {target}; replaces the whole set when given.")
        else:
            attrs[rel.name] = graphene.InputField(
                scalar, required=creating and rel.rel_type == "OFFERED_BY",
                description=f"A {target}.")
    prefix = "Create" if creating else "Update"
    return type(f"{prefix}{type_name}Input", (graphene.InputObjectType,), attrs)


def _payload(verb: str, type_name: str) -> Any:
    return type(f"{verb}{type_name}Payload", (graphene.ObjectType,),
                {record_field(type_name): graphene.Field(OBJECTS[type_name], required=True)})


def _delete_input(type_name: str) -> Any:
    return type(f"Delete{type_name}Input", (graphene.InputObjectType,), {
        "id": graphene.InputField(graphene.ID, required=True),
        "version": graphene.InputField(graphene.Int,
                                       description="When given, must be the stored version.")})


def _delete_payload(type_name: str) -> Any:
    return type(f"Delete{type_name}Payload", (graphene.ObjectType,), {
        "deleted_id": graphene.ID(required=True, description="The record no longer exists.")})


def _fields(type_name: str) -> dict[str, Any]:
    record = record_field(type_name)
    fields: dict[str, Any] = {}

    def create(root: Any, info: Any, **kwargs: Any) -> dict[str, Any]:
        selection = root_selection(info)
        done = writes.create(ctx(info).graph, type_name, dict(selection.args["input"]),
                             selection, record)
        return {record: compiled(done[record])}

    def update(root: Any, info: Any, **kwargs: Any) -> dict[str, Any]:
        selection = root_selection(info)
        values = dict(selection.args["input"])
        node_id, version = str(values.pop("id")), int(values.pop("version"))
        done = writes.update(ctx(info).graph, type_name, node_id, version, values,
                             selection, record)
        return {record: compiled(done[record])}

    def delete(root: Any, info: Any, **kwargs: Any) -> dict[str, Any]:
        args = dict(root_selection(info).args["input"])
        done = writes.delete(ctx(info).graph, type_name, str(args["id"]), args.get("version"))
        return {"deletedId": done["id"]}

    # Organisations are created by registerOrganisation, platforms by registerPartnerPlatform
    # (which starts them in TEST mode and checks their kind).
    if type_name not in ("Organisation", "PartnerPlatform"):
        fields[f"create_{record}"] = graphene.Field(
            _payload("Create", type_name), required=True, resolver=create,
            name=f"create{type_name}",
            args={"input": graphene.Argument(_input(type_name, True), required=True)})
    fields[f"update_{record}"] = graphene.Field(
        _payload("Update", type_name), required=True, resolver=update, name=f"update{type_name}",
        args={"input": graphene.Argument(_input(type_name, False), required=True)})
    fields[f"delete_{record}"] = graphene.Field(
        _delete_payload(type_name), required=True, resolver=delete, name=f"delete{type_name}",
        args={"input": graphene.Argument(_delete_input(type_name), required=True)})
    return fields


_ALL: dict[str, Any] = {}
for _name in PARTNER_GRAPH_TYPES:
    _ALL.update(_fields(_name))

PartnerGraphMutations = type("PartnerGraphMutations", (graphene.ObjectType,), _ALL)
