"""Closed sets in the served schema are enums built from their code tables, described value by
value, and the mutations take them (and points in time) typed, not as free strings."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_introspection_query, graphql_sync

from civicgraph.api.enums import code_enum, member_name
from civicgraph.compiler.domains.kits import BUILD_STAGES, BUILD_STATES
from civicgraph.compiler.domains.webhooks import OUTBOX_STATUSES
from civicgraph.gateway.schema import schema
from civicgraph.identity.service import clients, consent
from civicgraph.lab.service import ideas, pilots, sessions
from civicgraph.lab.service.lifecycles import ANY_STATUS, LIFECYCLES, WEBHOOK_EVENTS
from hackathon_kits.builder.spec import COLUMN_TYPES, TABLE_KINDS
from partners.service import platforms

TABLES = {
    "PilotPartnerRole": pilots.PARTNER_ROLES, "PilotStage": pilots.STAGES,
    "LabSessionKind": sessions.KINDS, "IdeaAcceptedInto": ideas.ACCEPTED_INTO,
    "WebhookEvent": WEBHOOK_EVENTS, "GrantType": clients.GRANT_TYPES,
    "DataCategory": consent.CATEGORIES, "KitColumnType": COLUMN_TYPES,
    "PlatformKind": platforms.KINDS,
    **{f"{lc.label}Status": lc.statuses for lc in LIFECYCLES.values()},
    "LabRecordStatus": ANY_STATUS, "IdeaOrigin": ideas.ORIGINS,
    "FundingMethod": pilots.FUNDING, "InvolvedParty": pilots.INVOLVED,
    "OperatingRelationship": pilots.RELATIONSHIPS, "OperatingOwnership": pilots.OWNERSHIP,
    "PowerSits": pilots.POWER, "PublicSectorRole": pilots.PUBLIC_ROLES,
    "MeasureDirection": pilots.DIRECTIONS,
    "KitBuildState": BUILD_STATES, "KitBuildStage": BUILD_STAGES, "KitTableKind": TABLE_KINDS,
    "OutboxEventStatus": OUTBOX_STATUSES,
}
# Input fields (Type.field) and the type a client must send.
TYPED_INPUTS = {
    "InvolvePartnerInput.role": "PilotPartnerRole!", "SignOffStageInput.stage": "PilotStage!",
    "AcceptIdeaInput.into": "IdeaAcceptedInto!", "SubscribeWebhookInput.events":
        "[WebhookEvent!]!", "CreateLabSessionInput.kind": "LabSessionKind!",
    "CreateLabSessionInput.startsAt": "DateTime!", "CreateLabSessionInput.endsAt": "DateTime!",
    "CreateChallengeInput.deadline": "DateTime", "UpdateChallengeInput.deadline": "DateTime",
    "RecordMeasurementInput.measuredAt": "DateTime",
    "RegisterPartnerPlatformInput.kind": "PlatformKind!",
}
OUTPUTS = {"OAuthClient.grantTypes": "[GrantType!]!", "OAuthClient.createdAt": "DateTime",
           "KitColumn.type": "KitColumnType!",
           "KitBuild.state": "KitBuildState!", "KitBuild.stage": "KitBuildStage",
           "KitBuild.requestedAt": "DateTime", "KitRelease.builtAt": "DateTime!",
           "KitDataset.table": "KitTableKind!", "OutboxEvent.status": "OutboxEventStatus!",
           "OutboxEvent.eventType": "WebhookEvent!", "OutboxEvent.deliveredAt": "DateTime",
           "WebhookSubscription.events": "[WebhookEvent!]!", "WebhookDelivery.at": "DateTime!"}


@pytest.fixture(scope="module")
def types() -> dict[str, Any]:
    result = graphql_sync(schema.graphql_schema, get_introspection_query(descriptions=True))
    assert result.errors is None and result.data is not None
    return {t["name"]: t for t in result.data["__schema"]["types"]}


def spelled(ref: dict[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return spelled(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return "[" + spelled(ref["ofType"]) + "]"
    return str(ref["name"])


def test_each_enum_lists_its_code_table_with_descriptions(types: dict[str, Any]) -> None:
    for name, table in TABLES.items():
        values = {v["name"]: v["description"] for v in types[name]["enumValues"]}
        assert values == {member_name(code): text for code, text in table.items()}, name
        assert types[name]["description"], name


def test_mutation_inputs_and_records_are_typed(types: dict[str, Any]) -> None:
    for where, expected in {**TYPED_INPUTS, **OUTPUTS}.items():
        type_name, field = where.split(".")
        fields = types[type_name]["inputFields"] or types[type_name]["fields"]
        found = {f["name"]: spelled(f["type"]) for f in fields}
        assert found.get(field) == expected, where


def test_dotted_codes_become_names_and_clashes_are_refused() -> None:
    assert member_name("pilot.advanced") == "PILOT_ADVANCED"
    assert member_name("client_credentials") == "CLIENT_CREDENTIALS"
    with pytest.raises(ValueError, match="share a GraphQL name"):
        code_enum("Clash", {"a.b": "one", "a_b": "two"}, "Two codes, one name.")


def test_stored_webhook_codes_read_as_their_enum_names() -> None:
    """The model serves a stored event code as ``toUpper(replace(code, '.', '_'))`` in Cypher
    (``compiler.domains.webhooks``): that must be the enum's name of every code."""
    for code in WEBHOOK_EVENTS:
        assert code.replace(".", "_").upper() == member_name(code), code
