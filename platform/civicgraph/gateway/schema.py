"""The one place the GraphQL schema is assembled: each domain's API module names its root query
and mutation classes (``QUERIES``, ``MUTATIONS``), and they are composed here in a fixed order,
which is also the order of the fields in ``schema.graphql``."""

from __future__ import annotations

from pathlib import Path

import graphene
from graphene.types.resolver import set_default_resolver

from civicgraph.api.resolvers import field_name_resolver

# Before any type is built: fields resolve from the camelCase keys of the services' dicts.
set_default_resolver(field_name_resolver)

from civicgraph.identity import api as identity  # noqa: E402
from civicgraph.lab import api as lab  # noqa: E402
from civicgraph.partner_graph import api as partner_graph  # noqa: E402
from hackathon_kits import api as kits  # noqa: E402
from partners import api as partners  # noqa: E402

DOMAIN_APIS = (partner_graph, identity, kits, lab, partners)
SDL_PATH = Path(__file__).resolve().parent / "schema.graphql"

Query = type("Query", (*(q for d in DOMAIN_APIS for q in d.QUERIES), graphene.ObjectType), {})
Mutation = type(
    "Mutation", (*(m for d in DOMAIN_APIS for m in d.MUTATIONS), graphene.ObjectType), {}
)

schema = graphene.Schema(query=Query, mutation=Mutation)


def sdl() -> str:
    return str(schema).strip() + "\n"
