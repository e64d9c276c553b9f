"""Who is asking, and the checks every domain shares: scopes, roles and ownership.

The principal is built from a verified access token by the HTTP layer and travels on the GraphQL
request context; services take it as a plain value, so the console, the CLI and tests obey the
same rules without Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicgraph.core.errors import Forbidden, Unauthenticated

GRAPH_READ = "graph:read"
GRAPH_WRITE = "graph:write"
LAB_WRITE = "lab:write"
KITS_READ = "kits:read"
CITIZEN_READ = "citizen:read"
CONSENT_READ = "consent:read"
CONSENT_WRITE = "consent:write"
ADMIN = "admin"

SCOPES: tuple[str, ...] = (
    GRAPH_READ, GRAPH_WRITE, LAB_WRITE, KITS_READ, CITIZEN_READ, CONSENT_READ, CONSENT_WRITE, ADMIN,
)

# Roles: a person's come from their role labels in the graph; PARTNER is an organisation's
# client acting in the lab; PUBLIC is anyone without a token.
CITIZEN = "CITIZEN"
EXPERT = "EXPERT"
LAB_STAFF = "LAB_STAFF"
PARTICIPANT = "PARTICIPANT"
PARTNER = "PARTNER"
PUBLIC_ROLE = "PUBLIC"

# Person role names in tokens -> role labels in the graph.
ROLE_LABELS: dict[str, str] = {
    CITIZEN: "Citizen",
    EXPERT: "Expert",
    LAB_STAFF: "LabStaff",
    PARTICIPANT: "Participant",
    "ADMIN": "Admin",
}
ROLES: frozenset[str] = frozenset({*ROLE_LABELS, PARTNER, PUBLIC_ROLE})
# Who runs the lab, and who may take part in it once signed in.
STAFF: frozenset[str] = frozenset({LAB_STAFF, "ADMIN"})
SIGNED_IN: frozenset[str] = frozenset({LAB_STAFF, EXPERT, CITIZEN, PARTICIPANT, PARTNER, "ADMIN"})

# The most a person with a role may be granted through a browser login; the client's allowed
# scopes and the scopes asked for narrow it further.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    CITIZEN: frozenset({GRAPH_READ, CONSENT_READ, CONSENT_WRITE}),
    # A participant (a start-up's or a partner's member, a hackathon team member) takes part
    # in the lab: proposals, teams, sessions. What is staff's stays staff's: the lab's
    # lifecycle tables and services check the role of every act, not only the scope.
    PARTICIPANT: frozenset({GRAPH_READ, LAB_WRITE, KITS_READ}),
    EXPERT: frozenset({GRAPH_READ, LAB_WRITE, KITS_READ}),
    LAB_STAFF: frozenset({GRAPH_READ, GRAPH_WRITE, LAB_WRITE, KITS_READ}),
    "ADMIN": frozenset(SCOPES),
}


@dataclass(frozen=True)
class Principal:
    """The caller as the access token describes it; anonymous when no token came."""

    subject: str | None = None
    client_id: str | None = None
    organisation_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    # Set when the token was issued to a person (authorization code), not to a client alone.
    person_id: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.client_id is not None

    def has_scope(self, scope: str) -> bool:
        """``admin`` stands for every scope; consent still gates citizen data in Cypher."""
        return scope in self.scopes or ADMIN in self.scopes


ANONYMOUS = Principal()


@dataclass(frozen=True)
class Rule:
    """Who may call one root field: a scope (None: public, no token needed) and, when given,
    any one of these roles. Each domain's ``policy`` module holds its fields' rules."""

    scope: str | None
    roles: frozenset[str] = field(default_factory=frozenset)


PUBLIC = Rule(None)


def needs(scope: str, *roles: str) -> Rule:
    return Rule(scope, frozenset(roles))


def scopes_for_roles(roles: frozenset[str] | set[str]) -> frozenset[str]:
    allowed: set[str] = set()
    for role in roles:
        allowed |= ROLE_SCOPES.get(role, frozenset())
    return frozenset(allowed)


def require_person(principal: Principal, role: str | None = None) -> str:
    """The person behind the token; a client acting for itself has none."""
    if not principal.authenticated:
        raise Unauthenticated("this needs an access token")
    if principal.person_id is None:
        raise Forbidden("this needs a token issued to a person (sign in), not to a client")
    if role is not None and role not in principal.roles:
        raise Forbidden(f"this needs the {role} role", requiredRole=role)
    return principal.person_id


def require_organisation(principal: Principal) -> str:
    if principal.organisation_id is None:
        raise Forbidden("this needs a client that belongs to an organisation")
    return principal.organisation_id


def require_owner(principal: Principal, *organisation_ids: str) -> None:
    """An organisation's client changes only records of its own organisation; admin any."""
    if principal.has_scope(ADMIN):
        return
    if principal.organisation_id is None or principal.organisation_id not in organisation_ids:
        raise Forbidden(
            "your client may change only records of its own organisation",
            organisationIds=list(organisation_ids),
        )


class InvalidToken(Exception):
    """The bearer token cannot be trusted; the message says why (for logs, not clients)."""
