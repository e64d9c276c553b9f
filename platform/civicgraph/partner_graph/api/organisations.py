"""Registering organisations and linking them as partners (the type and the paginated
`organisations` query are built with the rest of the partner graph, in partner_types.py)."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import payload_records
from civicgraph.api.context import ctx
from civicgraph.api.model_types import Date
from civicgraph.api.tasks import TaskRun, task_run
from civicgraph.partner_graph.api.queries import viewer
from civicgraph.partner_graph.api.types import OBJECTS, OrganisationKind
from civicgraph.partner_graph.service import organisations as service

Organisation = OBJECTS["Organisation"]


class RegisterOrganisationInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    kind = OrganisationKind(required=True)
    region = graphene.String(required=True)
    description = graphene.String()


class RegisterOrganisation(graphene.Mutation):
    class Arguments:
        input = RegisterOrganisationInput(required=True)

    organisation = graphene.Field(Organisation, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        kind = input.get("kind")
        organisation = service.register(
            ctx(info).graph,
            name=input.get("name"),
            kind=getattr(kind, "value", kind),
            region=input.get("region"),
            description=input.get("description"),
        )
        # The answer is compiled from the client's selection (api.compiled.payload_records).
        return payload_records(info, viewer(info), "Organisation",
                               {"organisation": organisation["id"]})


class LinkPartners(graphene.Mutation):
    """Record that two organisations work together; linking them again changes nothing."""

    class Arguments:
        a = graphene.ID(required=True)
        b = graphene.ID(required=True)
        since = Date()

    a = graphene.Field(Organisation, required=True)
    b = graphene.Field(Organisation, required=True)
    since = Date()
    created = graphene.Boolean(required=True, description="False when they were already partners.")

    @staticmethod
    def mutate(root: Any, info: Any, a: str, b: str, since: Any = None) -> dict[str, Any]:
        context = ctx(info)
        linked = service.link_partners(context.graph, a, b, since, principal=context.principal)
        records = payload_records(info, viewer(info), "Organisation",
                                  {"a": linked["a"]["id"], "b": linked["b"]["id"]})
        return {**linked, **records}


class OrganisationMutations(graphene.ObjectType):
    register_organisation = RegisterOrganisation.Field(required=True)
    link_partners = LinkPartners.Field(required=True)


class RecomputePartnerCounts(graphene.Mutation):
    """Ask a worker to store every organisation's partner count on it."""

    task = graphene.Field(TaskRun, required=True)

    @staticmethod
    def mutate(root: Any, info: Any) -> RecomputePartnerCounts:
        status = service.request_partner_count_recompute(ctx(info).tasks)
        return RecomputePartnerCounts(task=task_run(status))


class PartnerCountMutations(graphene.ObjectType):
    recompute_partner_counts = RecomputePartnerCounts.Field(required=True)
