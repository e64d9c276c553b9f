"""Who is acting in a lab resolver: the ONE place the request's principal becomes an ``Actor``.

Scopes are checked before execution by the policy table (``graphql/policy.py``); here the token's
principal is only translated into the lab's roles, which the lifecycle tables check per move.
"""

from __future__ import annotations

from typing import Any

from civicgraph.errors import Unauthenticated
from civicgraph.graphql.context import ctx
from civicgraph.services.access import ADMIN
from civicgraph.services.lab.actor import ROLES, Actor

ANONYMOUS = Actor(id="anonymous", roles=frozenset({"PUBLIC"}))


def actor_from_context(info: Any) -> Actor:
    principal = ctx(info).principal
    if not principal.authenticated:
        raise Unauthenticated("sign in (send an access token) to use the lab's mutations")
    # Only the lab's roles pass: SYSTEM is never granted through a token.
    roles = {r for r in principal.roles if r in ROLES}
    if ADMIN in principal.scopes:
        roles.add("ADMIN")
    if principal.person_id is None and principal.organisation_id is not None:
        # An organisation's own client (client credentials) acts as that partner.
        roles.add("PARTNER")
    return Actor(
        id=principal.person_id or str(principal.subject or principal.client_id),
        roles=frozenset(roles),
        organisation_id=principal.organisation_id,
    )


def reader_from_context(info: Any) -> Actor:
    """For reads: the signed-in actor when there is one, else anonymous."""
    if not ctx(info).principal.authenticated:
        return ANONYMOUS
    return actor_from_context(info)
