"""Who may call which root field: ONE table, default-deny, checked before anything executes.

Every root field of every operation (through fragments and aliases) is looked up as
``"Query.<field>"`` / ``"Mutation.<field>"``. A field missing from the table is not open: it
needs ``graph:read`` as a query and ``admin`` as a mutation, so a field added by any domain
module is protected from the moment it exists, and opening it up is a one-line change here.
``PUBLIC`` fields need no token (the public directory). ``admin`` satisfies every scope.

Finer rules live where the data is: ownership in the services (``require_owner``), consent in
the Cypher that reads citizen data (``repositories.consent``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from civicgraph.api.context import RequestContext
from civicgraph.core.access import (
    ADMIN,
    CITIZEN_READ,
    CONSENT_READ,
    CONSENT_WRITE,
    GRAPH_READ,
    GRAPH_WRITE,
    KITS_READ,
    LAB_WRITE,
)


@dataclass(frozen=True)
class Rule:
    scope: str | None  # None: public, no token needed
    roles: frozenset[str] = field(default_factory=frozenset)  # any one of them, when given


PUBLIC = Rule(None)


def needs(scope: str, *roles: str) -> Rule:
    return Rule(scope, frozenset(roles))


POLICY: dict[str, Rule] = {
    # Public directory: organisations' public profiles and the kit catalogue. (Open challenges
    # join here when their fields exist.)
    "Query.organisations": PUBLIC,
    # The partner graph's public catalogue: profiles, offers and taxonomies. `node(id)`,
    # platforms and the discovery queries (partners of partners, chains, similar organisations)
    # are for partners (graph:read, the default). Its create/update/delete mutations are admin
    # work until ownership of offers is modelled (the default for mutations).
    "Query.organisation": PUBLIC,
    "Query.vacancies": PUBLIC,
    "Query.trainingCourses": PUBLIC,
    "Query.services": PUBLIC,
    "Query.skills": PUBLIC,
    "Query.occupations": PUBLIC,
    "Query.fields": PUBLIC,
    "Query.kits": PUBLIC,
    "Query.kit": PUBLIC,
    "Query.kitRelease": PUBLIC,
    "Query.kitBuild": needs(KITS_READ),
    "Mutation.buildKit": needs(LAB_WRITE),
    # The lab. Public: open challenges, pilots and their outcomes, sessions, figures, history
    # (the services hide drafts from non-staff). Staff and experts' reads and every lab move
    # need lab:write; the lifecycle tables then check the actor's role per move.
    "Query.challenges": PUBLIC,
    "Query.challenge": PUBLIC,
    "Query.pilot": PUBLIC,
    "Query.stageGate": PUBLIC,
    "Query.labHistory": PUBLIC,
    "Query.allowedMoves": PUBLIC,
    "Query.labSessions": PUBLIC,
    "Query.labFigures": PUBLIC,
    "Query.ideas": needs(LAB_WRITE),
    "Query.proposals": needs(LAB_WRITE),
    "Query.evaluationResults": needs(LAB_WRITE),
    "Query.labOutbox": needs(LAB_WRITE),
    # Partner platforms (KEHA-style onboarding) and career paths. Matching and career paths
    # serve jobseekers without an account; a sync is asked by the platform's own client (the
    # service checks which platform) or an admin; registering and promoting are admin work.
    "Query.matchVacancies": PUBLIC,
    "Query.careerPaths": PUBLIC,
    "Query.vacancy": PUBLIC,
    "Query.quarantinedRecords": needs(ADMIN),
    "Mutation.syncPartnerFeed": needs(GRAPH_WRITE),
    "Mutation.registerPartnerPlatform": needs(ADMIN),
    "Mutation.promotePartnerPlatform": needs(ADMIN),
    # Anyone signed in may submit an idea or join a session (staff, public, start-ups, partners).
    "Mutation.submitIdea": needs(GRAPH_READ),
    "Mutation.joinLabSession": needs(GRAPH_READ),
    **{f"Mutation.{name}": needs(LAB_WRITE) for name in (
        "moveLabRecord", "acceptIdea", "mergeIdea", "createChallenge", "updateChallenge",
        "createTeam", "createProposal", "updateProposal", "assignExperts", "scoreProposal",
        "declareConflict", "subscribeWebhook", "startPilot", "involvePartner", "setOperatingModel",
        "addOutcomeMeasure", "setBaseline", "recordMeasurement", "signOffStage",
        "createLabSession",
    )},
    "Query.task": needs(GRAPH_READ),
    "Query.citizenProfile": needs(CITIZEN_READ),
    "Query.myConsents": needs(CONSENT_READ, "CITIZEN"),
    "Query.myAccessLog": needs(CONSENT_READ, "CITIZEN"),
    "Query.recordOfProcessing": needs(ADMIN),
    "Query.oauthClients": needs(ADMIN),
    "Mutation.registerOrganisation": needs(ADMIN),
    "Mutation.linkPartners": needs(GRAPH_WRITE),  # and one side must be the caller's own
    "Mutation.recomputePartnerCounts": needs(ADMIN),
    "Mutation.createOAuthClient": needs(ADMIN),
    "Mutation.grantConsent": needs(CONSENT_WRITE, "CITIZEN"),
    "Mutation.withdrawConsent": needs(CONSENT_WRITE, "CITIZEN"),
}

DEFAULT: dict[OperationType, Rule] = {
    OperationType.QUERY: needs(GRAPH_READ),
    OperationType.MUTATION: needs(ADMIN),
    OperationType.SUBSCRIPTION: needs(ADMIN),
}

_INTROSPECTION = {"__schema", "__type"}


@dataclass
class Denied:
    body: dict[str, Any]
    status: int
    headers: dict[str, str]


def rule_for(type_name: str, operation: OperationType, field_name: str) -> Rule:
    return POLICY.get(f"{type_name}.{field_name}", DEFAULT[operation])


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> list[str]:
    """Field names (not aliases) at the root, through fragment spreads and inline fragments."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    names: list[str] = []
    seen: set[str] = set()

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.append(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    walk(fragments[name].selection_set)

    walk(operation.selection_set)
    return names


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extra}}


def check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
          context: RequestContext) -> Denied | None:
    """None when every root field may run for this caller; else the errors, nothing executed."""
    root = schema.get_root_type(operation.operation)
    type_name = root.name if root else operation.operation.value.capitalize()
    principal = context.principal
    unauthenticated: list[dict[str, Any]] = []
    forbidden: list[dict[str, Any]] = []
    for name in root_fields(document, operation):
        path = f"{type_name}.{name}"
        if name == "__typename":
            continue
        if name in _INTROSPECTION:
            if not context.introspection:
                return Denied({"errors": [_error(
                    "GraphQL introspection is off in this deployment",
                    "GRAPHQL_VALIDATION_FAILED")], "data": None}, 400, {})
            continue
        rule = rule_for(type_name, operation.operation, name)
        if rule.scope is None:
            continue
        if not principal.authenticated:
            unauthenticated.append(_error(
                f"{path} needs an access token with scope {rule.scope}", "UNAUTHENTICATED",
                field=path, requiredScope=rule.scope))
        elif not principal.has_scope(rule.scope):
            forbidden.append(_error(
                f"{path} needs scope {rule.scope}", "FORBIDDEN", field=path,
                requiredScope=rule.scope))
        elif rule.roles and not (rule.roles & principal.roles):
            roles = ", ".join(sorted(rule.roles))
            forbidden.append(_error(f"{path} needs the role {roles}", "FORBIDDEN",
                                    field=path, requiredRoles=sorted(rule.roles)))
    if unauthenticated:
        return Denied({"errors": unauthenticated + forbidden, "data": None}, 401,
                      {"WWW-Authenticate": 'Bearer realm="civicgraph"'})
    if forbidden:
        scopes = " ".join(sorted({e["extensions"].get("requiredScope", "") for e in forbidden}
                                 - {""}))
        header = 'Bearer realm="civicgraph", error="insufficient_scope"'
        if scopes:
            header += f', scope="{scopes}"'
        return Denied({"errors": forbidden, "data": None}, 403, {"WWW-Authenticate": header})
    return None
