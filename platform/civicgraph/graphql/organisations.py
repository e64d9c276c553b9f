"""Organisations: the type, the paginated query and the register/link mutations."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.graphql.context import ctx
from civicgraph.services import organisations as service

OrganisationKind = graphene.Enum(
    "OrganisationKind", [(value, value) for value in service.KIND_LABELS]
)


class PartnerRef(graphene.ObjectType):
    """A partner as listed under an organisation."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String()
    region = graphene.String()


class Organisation(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True, description="One of OrganisationKind's values.")
    region = graphene.String(required=True)
    description = graphene.String()
    partner_count = graphene.Int(
        description="Stored by the partner-count task; null before it ran."
    )
    version = graphene.Int(required=True)
    created_at = graphene.String()
    updated_at = graphene.String()
    partners = graphene.List(graphene.NonNull(PartnerRef), required=True)

    @staticmethod
    def resolve_partners(parent: dict[str, Any], info: Any) -> list[dict[str, Any]]:
        return list(parent.get("partners") or [])


class OrganisationEdge(graphene.ObjectType):
    cursor = graphene.String(required=True)
    node = graphene.Field(Organisation, required=True)


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(required=True)
    start_cursor = graphene.String()
    end_cursor = graphene.String()


class OrganisationConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(OrganisationEdge), required=True)
    page_info = graphene.Field(PageInfo, required=True)
    total_count = graphene.Int(required=True)


def _connection(page: service.Page) -> dict[str, Any]:
    edges = [
        {"cursor": service.encode_cursor(page.offset + i), "node": item}
        for i, item in enumerate(page.items)
    ]
    return {
        "edges": edges,
        "total_count": page.total,
        "page_info": {
            "has_next_page": page.has_next,
            "has_previous_page": page.offset > 0,
            "start_cursor": edges[0]["cursor"] if edges else None,
            "end_cursor": edges[-1]["cursor"] if edges else None,
        },
    }


class OrganisationQueries(graphene.ObjectType):
    organisations = graphene.Field(
        OrganisationConnection,
        required=True,
        first=graphene.Int(description="Page size, 0 to 100; 20 when omitted."),
        after=graphene.String(description="The endCursor of the previous page."),
    )

    @staticmethod
    def resolve_organisations(
        root: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> dict[str, Any]:
        return _connection(service.list_page(ctx(info).graph, first, after))


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
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> RegisterOrganisation:
        kind = input.get("kind")
        organisation = service.register(
            ctx(info).graph,
            name=input.get("name"),
            kind=getattr(kind, "value", kind),
            region=input.get("region"),
            description=input.get("description"),
        )
        return RegisterOrganisation(organisation=organisation)


class LinkPartners(graphene.Mutation):
    """Record that two organisations work together; linking them again changes nothing."""

    class Arguments:
        a = graphene.ID(required=True)
        b = graphene.ID(required=True)
        since = graphene.Date()

    a = graphene.Field(Organisation, required=True)
    b = graphene.Field(Organisation, required=True)
    since = graphene.Date()
    created = graphene.Boolean(required=True, description="False when they were already partners.")

    @staticmethod
    def mutate(root: Any, info: Any, a: str, b: str, since: Any = None) -> LinkPartners:
        context = ctx(info)
        linked = service.link_partners(context.graph, a, b, since, principal=context.principal)
        return LinkPartners(**linked)


class OrganisationMutations(graphene.ObjectType):
    register_organisation = RegisterOrganisation.Field(required=True)
    link_partners = LinkPartners.Field(required=True)
