"""OAuth clients through GraphQL: admin only (see ``policy.POLICY``). The type is the model's
(``compiler.domains.identity``): an organisation sees its own clients by ``node(id:)``."""

from __future__ import annotations

import graphene

from civicgraph.api.model_scalars import closed_set
from civicgraph.api.model_types import OBJECTS
from civicgraph.compiler.domains.identity import OAUTH_CLIENT
from civicgraph.partner_graph.api.queries import connection_field

OAuthClient = OBJECTS["OAuthClient"]
GrantType = closed_set("OAuthClient", OAUTH_CLIENT.prop("grantTypes"))  # type: ignore[arg-type]


class AccessQueries(graphene.ObjectType):
    oauth_clients = connection_field("OAuthClient", "Every registered client, oldest first.")
