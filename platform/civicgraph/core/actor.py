"""Who is acting: services take it explicitly so they run the same under GraphQL, a task or a test.

The GraphQL layer builds an ``Actor`` from the request's principal; workers act as ``SYSTEM``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicgraph.core.access import ADMIN, PARTNER, ROLES, Principal
from civicgraph.core.errors import BadInput

# Never granted to a principal: the role the workers' scheduled transitions act under.
SYSTEM_ROLE = "SYSTEM"


@dataclass(frozen=True)
class Actor:
    id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    organisation_id: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.roles) - ROLES - {SYSTEM_ROLE}
        if unknown:
            raise BadInput(f"unknown roles: {', '.join(sorted(unknown))}", field="roles")

    def has_any(self, roles: frozenset[str]) -> bool:
        return bool(self.roles & roles)

    @property
    def signed_in(self) -> bool:
        """PUBLIC alone means anonymous: reads only."""
        return bool(self.roles - {"PUBLIC"})


ANONYMOUS = Actor(id="anonymous", roles=frozenset({"PUBLIC"}))
SYSTEM = Actor(id="civicgraph-scheduler", roles=frozenset({SYSTEM_ROLE}))


def actor_for(principal: Principal) -> Actor:
    """The ONE place a signed-in principal becomes the lab's ``Actor`` (GraphQL and console)."""
    # Only the lab's roles pass: SYSTEM is never granted through a token.
    roles = {r for r in principal.roles if r in ROLES}
    if ADMIN in principal.scopes:
        roles.add("ADMIN")
    if principal.person_id is None and principal.organisation_id is not None:
        # An organisation's own client (client credentials) acts as that partner.
        roles.add(PARTNER)
    return Actor(
        id=principal.person_id or str(principal.subject or principal.client_id),
        roles=frozenset(roles),
        organisation_id=principal.organisation_id,
    )
