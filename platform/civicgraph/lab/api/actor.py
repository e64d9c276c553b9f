"""Who is acting in a lab resolver: the ONE place the request's principal becomes an ``Actor``.

Scopes are checked before execution by the policy table (``graphql/policy.py``); here the token's
principal is only translated into the lab's roles, which the lifecycle tables check per move.
"""

from __future__ import annotations

from typing import Any

from civicgraph.api.context import ctx
from civicgraph.core.actor import ANONYMOUS, Actor, actor_for
from civicgraph.core.errors import Unauthenticated


def actor_from_context(info: Any) -> Actor:
    principal = ctx(info).principal
    if not principal.authenticated:
        raise Unauthenticated("sign in (send an access token) to use the lab's mutations")
    return actor_for(principal)


def reader_from_context(info: Any) -> Actor:
    """For reads: the signed-in actor when there is one, else anonymous."""
    if not ctx(info).principal.authenticated:
        return ANONYMOUS
    return actor_from_context(info)
