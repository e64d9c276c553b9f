"""The one place the GraphQL schema is assembled from the domain modules."""

from __future__ import annotations

from pathlib import Path

import graphene
from graphene.types.resolver import set_default_resolver

from civicgraph.graphql.resolvers import field_name_resolver

# Before any type is built: fields resolve from the camelCase keys of the services' dicts.
set_default_resolver(field_name_resolver)

from civicgraph.graphql.organisations import OrganisationMutations  # noqa: E402
from civicgraph.graphql.partner_graph import PartnerGraphQueries  # noqa: E402
from civicgraph.graphql.partner_mutations import PartnerGraphMutations  # noqa: E402
from civicgraph.graphql.tasks import TaskMutations, TaskQueries  # noqa: E402

SDL_PATH = Path(__file__).resolve().parent / "schema.graphql"


class Query(PartnerGraphQueries, TaskQueries, graphene.ObjectType):
    pass


class Mutation(OrganisationMutations, PartnerGraphMutations, TaskMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)


def sdl() -> str:
    return str(schema).strip() + "\n"
