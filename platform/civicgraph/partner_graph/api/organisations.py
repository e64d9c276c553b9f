"""Registering organisations and linking them as partners (the type and the paginated
`organisations` query are built with the rest of the partner graph, in partner_types.py)."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import payload_records
from civicgraph.api.context import ctx
from civicgraph.api.model_scalars import Date
from civicgraph.api.mutation import Mutation, plain
from civicgraph.partner_graph.api.queries import viewer
from civicgraph.partner_graph.api.types import OBJECTS, OrganisationKind
from civicgraph.partner_graph.service import organisations as service

Organisation = OBJECTS["Organisation"]


class RegisterOrganisation(Mutation):
    class Input:
        name = graphene.String(required=True)
        kind = OrganisationKind(required=True)
        region = graphene.String(required=True)
        description = graphene.String()

    organisation = graphene.Field(Organisation, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        organisation = service.register(
            ctx(info).graph, name=input.get("name"), kind=plain(input.get("kind")),
            region=input.get("region"), description=input.get("description"))
        # The answer is compiled from the client's selection (api.compiled.payload_records).
        return payload_records(info, viewer(info), "Organisation",
                               {"organisation": organisation["id"]})


class LinkPartners(Mutation):
    """Record that two organisations work together; linking them again changes nothing."""

    class Input:
        a = graphene.ID(required=True)
        b = graphene.ID(required=True)
        since = Date()

    a = graphene.Field(Organisation, required=True)
    b = graphene.Field(Organisation, required=True)
    since = Date()
    created = graphene.Boolean(required=True, description="False when they were already partners.")

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        linked = service.link_partners(context.graph, input["a"], input["b"], input.get("since"),
                                       principal=context.principal)
        records = payload_records(info, viewer(info), "Organisation",
                                  {"a": linked["a"]["id"], "b": linked["b"]["id"]})
        return {**linked, **records}


class OrganisationMutations(graphene.ObjectType):
    register_organisation = RegisterOrganisation.Field()
    link_partners = LinkPartners.Field()

