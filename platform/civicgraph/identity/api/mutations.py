"""Identity's mutations: OAuth clients (admins) and citizens' consents."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import payload_records
from civicgraph.api.context import ctx
from civicgraph.api.model_scalars import DateTime
from civicgraph.api.mutation import Mutation, plain
from civicgraph.identity.api.clients import GrantType, OAuthClient
from civicgraph.identity.api.consent import Consent, DataCategory
from civicgraph.identity.service import clients as client_service
from civicgraph.identity.service import consent as consent_service
from civicgraph.partner_graph.api.queries import viewer


class CreateOAuthClient(Mutation):
    """Register a client; its secret is in this answer and nowhere else, ever."""

    class Input:
        name = graphene.String(required=True)
        organisation_id = graphene.ID(description="The organisation the client acts for.")
        scopes = graphene.List(graphene.NonNull(graphene.String), required=True)
        grant_types = graphene.List(graphene.NonNull(GrantType), required=True)
        redirect_uris = graphene.List(graphene.NonNull(graphene.String))
        public = graphene.Boolean(description="No secret (browser or native app with PKCE).")

    client = graphene.Field(OAuthClient, required=True)
    client_secret = graphene.String(description="Null for a public client.")

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        created, secret = client_service.create(
            ctx(info).graph,
            name=input["name"],
            organisation_id=input.get("organisation_id"),
            scopes=list(input["scopes"]),
            grant_types=[str(plain(g)).lower() for g in input["grant_types"]],
            redirect_uris=list(input.get("redirect_uris") or []),
            public=bool(input.get("public")),
        )
        # The answer is compiled from the client's selection (api.compiled.payload_records).
        return {**payload_records(info, viewer(info), "OAuthClient", {"client": created["id"]}),
                "clientSecret": secret}


class AccessMutations(graphene.ObjectType):
    create_o_auth_client = CreateOAuthClient.Field(name="createOAuthClient")


class GrantConsent(Mutation):
    """Consent to an organisation using some of your data for one purpose, until expiresAt."""

    class Input:
        organisation_id = graphene.ID(required=True)
        purpose = graphene.String(required=True, description="e.g. job-matching")
        categories = graphene.List(graphene.NonNull(DataCategory), required=True)
        expires_at = DateTime(
            description="365 days from now when omitted; at most 3 years.")

    consent = graphene.Field(Consent, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        granted = consent_service.grant(
            context.graph, context.principal, organisation_id=input["organisation_id"],
            purpose=input["purpose"],
            categories=[str(plain(c)).lower() for c in input["categories"]],
            expires_at=input.get("expires_at"))
        return payload_records(info, viewer(info), "Consent", {"consent": granted["id"]})


class WithdrawConsent(Mutation):
    """Withdraw a consent; it stops allowing reads from the next request on."""

    class Input:
        id = graphene.ID(required=True)

    consent = graphene.Field(Consent, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        withdrawn = consent_service.withdraw(context.graph, context.principal, input["id"])
        return payload_records(info, viewer(info), "Consent", {"consent": withdrawn["id"]})


class ConsentMutations(graphene.ObjectType):
    grant_consent = GrantConsent.Field()
    withdraw_consent = WithdrawConsent.Field()
