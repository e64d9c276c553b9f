"""Who is acting in a lab resolver: the ONE place the request's principal becomes an ``Actor``.

Identity and access (another issue) puts a ``principal`` on the request context with
``subject``, ``roles``, ``organisation_id`` and ``scopes``. Until it does, every lab mutation
answers UNAUTHENTICATED; public reads act as an anonymous ``PUBLIC`` actor.
"""

from __future__ import annotations

from typing import Any

from civicgraph.errors import Forbidden, Unauthenticated
from civicgraph.services.lab.actor import ROLES, Actor

# The scope a token needs for the lab's mutations (align with identity and access's names).
LAB_WRITE_SCOPE = "lab:write"
ANONYMOUS = Actor(id="anonymous", roles=frozenset({"PUBLIC"}))


def actor_from_context(info: Any, scope: str | None = LAB_WRITE_SCOPE) -> Actor:
    principal = getattr(info.context, "principal", None)
    if principal is None:
        raise Unauthenticated("sign in (send an access token) to use the lab's mutations")
    if scope is not None and scope not in set(getattr(principal, "scopes", ()) or ()):
        raise Forbidden(f"this needs the {scope} scope", requiredScope=scope)
    # Only the six lab roles pass: SYSTEM is never granted through a token.
    roles = frozenset(r for r in (getattr(principal, "roles", ()) or ()) if r in ROLES)
    return Actor(id=str(principal.subject), roles=roles,
                 organisation_id=getattr(principal, "organisation_id", None))


def reader_from_context(info: Any) -> Actor:
    """For reads: the signed-in actor when there is one, else anonymous."""
    if getattr(info.context, "principal", None) is None:
        return ANONYMOUS
    return actor_from_context(info, scope=None)
