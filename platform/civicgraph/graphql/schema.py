"""The one place the GraphQL schema is assembled from the domain modules."""

from __future__ import annotations

from pathlib import Path

import graphene
from graphene.types.resolver import set_default_resolver

from civicgraph.graphql.resolvers import field_name_resolver

# Before any type is built: fields resolve from the camelCase keys of the services' dicts.
set_default_resolver(field_name_resolver)

from civicgraph.graphql.access import AccessMutations, AccessQueries  # noqa: E402
from civicgraph.graphql.careers import CareerQueries  # noqa: E402
from civicgraph.graphql.consent import ConsentMutations, ConsentQueries  # noqa: E402
from civicgraph.graphql.kits import KitMutations, KitQueries  # noqa: E402
from civicgraph.graphql.lab.mutations import LabMutations  # noqa: E402
from civicgraph.graphql.lab.mutations_pilots import LabPilotMutations  # noqa: E402
from civicgraph.graphql.lab.queries import LabQueries  # noqa: E402
from civicgraph.graphql.organisations import OrganisationMutations  # noqa: E402
from civicgraph.graphql.partner_graph import PartnerGraphQueries  # noqa: E402
from civicgraph.graphql.partner_mutations import PartnerGraphMutations  # noqa: E402
from civicgraph.graphql.partners import PartnerMutations, PartnerQueries  # noqa: E402
from civicgraph.graphql.tasks import TaskMutations, TaskQueries  # noqa: E402

SDL_PATH = Path(__file__).resolve().parent / "schema.graphql"


class Query(
    PartnerGraphQueries, TaskQueries, AccessQueries, ConsentQueries, KitQueries, LabQueries,
    PartnerQueries, CareerQueries, graphene.ObjectType,
):
    pass


class Mutation(
    OrganisationMutations, PartnerGraphMutations, TaskMutations, AccessMutations,
    ConsentMutations, KitMutations, LabMutations, LabPilotMutations, PartnerMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)


def sdl() -> str:
    return str(schema).strip() + "\n"
