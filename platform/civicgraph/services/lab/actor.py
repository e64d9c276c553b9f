"""Who is acting: services take it explicitly so they run the same under GraphQL, a task or a test.

The GraphQL layer builds an ``Actor`` from the request's principal; workers act as ``SYSTEM``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicgraph.errors import BadInput

ROLES = frozenset({"LAB_STAFF", "EXPERT", "CITIZEN", "PARTNER", "ADMIN", "PUBLIC"})
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


SYSTEM = Actor(id="civicgraph-scheduler", roles=frozenset({SYSTEM_ROLE}))
