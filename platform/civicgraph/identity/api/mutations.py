"""Identity's mutations: OAuth clients (admins) and citizens' consents."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import payload_records
from civicgraph.api.context import ctx
from civicgraph.api.model_scalars import DateTime
from civicgraph.api.mutation import Mutation, plain
from civicgraph.identity.api.clients import GrantType, OAuthClient
from civicgraph.identity.api.consent import (
    Consent,
    DataCategory,
    DataUse,
    DataUseKind,
    LegalBasis,
    Purpose,
)
from civicgraph.identity.service import clients as client_service
from civicgraph.identity.service import consent as consent_service
from civicgraph.identity.service import data_use as data_use_service
from civicgraph.identity.service import purposes as purpose_service
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
    """Consent to a declared, approved purpose: the data it needs (or fewer categories), until
    expiresAt. A live consent to the same purpose is replaced by this one."""

    class Input:
        purpose_id = graphene.ID(required=True, description="One of `purposes` (APPROVED).")
        categories = graphene.List(
            graphene.NonNull(DataCategory),
            description="Fewer than the purpose needs, if you choose; all of them when omitted.")
        expires_at = DateTime(
            description="365 days from now when omitted; at most 3 years.")

    consent = graphene.Field(Consent, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        granted = consent_service.grant(
            context.graph, context.principal, purpose_id=input["purpose_id"],
            categories=_codes(input.get("categories")), expires_at=input.get("expires_at"))
        return payload_records(info, viewer(info), "Consent", {"consent": granted["id"]})


def _codes(values: list[Any] | None) -> list[str] | None:
    return None if values is None else [str(plain(v)).lower() for v in values]


class ChangeConsent(Mutation):
    """Narrow (fewer categories, an earlier end) or extend (more of what the purpose needs, a
    later end) a live consent. A new consent replaces it; the old one stays, REPLACED."""

    class Input:
        id = graphene.ID(required=True)
        categories = graphene.List(graphene.NonNull(DataCategory),
                                   description="The categories from now on; unchanged if omitted.")
        expires_at = DateTime(description="The new end; unchanged if omitted.")

    consent = graphene.Field(Consent, required=True, description="The new consent.")

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        changed = consent_service.change(
            context.graph, context.principal, input["id"],
            categories=_codes(input.get("categories")), expires_at=input.get("expires_at"))
        return payload_records(info, viewer(info), "Consent", {"consent": changed["id"]})


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


class PurposeTerms:
    """The terms of a declared purpose, as a partner writes them."""

    name_en = graphene.String(description="Its name in English.")
    name_fr = graphene.String(description="Its name in French.")
    description_en = graphene.String(description="What the data is used for, in English.")
    description_fr = graphene.String(description="What the data is used for, in French.")
    benefit_en = graphene.String(description="What the citizen gets in return, in English.")
    benefit_fr = graphene.String(description="What the citizen gets in return, in French.")
    categories = graphene.List(graphene.NonNull(DataCategory))
    legal_basis = graphene.Field(LegalBasis)
    retention_days = graphene.Int(description="How long what is read is kept, in days.")


_TERMS = ("nameEn", "nameFr", "descriptionEn", "descriptionFr", "benefitEn", "benefitFr",
          "retentionDays")


def _terms(input: dict[str, Any]) -> dict[str, Any]:
    """The input's terms under the model's property names (graphene gives snake_case)."""
    snake = {name: "".join("_" + c.lower() if c.isupper() else c for c in name)
             for name in _TERMS}
    terms: dict[str, Any] = {name: input[key] for name, key in snake.items() if key in input}
    if input.get("code") is not None:
        terms["code"] = input["code"]
    if input.get("legal_basis") is not None:
        terms["legalBasis"] = str(plain(input["legal_basis"]))
    if input.get("categories") is not None:
        terms["categories"] = _codes(input["categories"])
    return terms


class PurposeVersion:
    """Which purpose, at the version the caller read (a stale one is a CONFLICT)."""

    id = graphene.ID(required=True)
    version = graphene.Int(required=True)


def _purpose_answer(info: Any, purpose: dict[str, Any]) -> dict[str, Any]:
    """The payload's purpose, compiled from the client's selection."""
    return payload_records(info, viewer(info), "Purpose", {"purpose": purpose["id"]})


def _moved(info: Any, input: dict[str, Any], move: Any) -> dict[str, Any]:
    context = ctx(info)
    return _purpose_answer(info, move(context.graph, context.principal, input["id"],
                                      input["version"]))


class DeclarePurpose(Mutation):
    """Declare a purpose your organisation uses citizens' data for; citizens can consent to it
    once the lab approves it."""

    class Input(PurposeTerms):
        code = graphene.String(required=True,
                               description="What you name in citizenProfile(purpose:).")

    purpose = graphene.Field(Purpose, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        return _purpose_answer(info, purpose_service.declare(context.graph, context.principal,
                                                             _terms(input)))


class RevisePurpose(Mutation):
    """A new version of a purpose's terms; it waits for the lab's approval again, and consents
    already given keep the version they were given for."""

    class Input(PurposeTerms, PurposeVersion):
        pass

    purpose = graphene.Field(Purpose, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return _moved(info, input, lambda graph, principal, purpose_id, version:
                      purpose_service.revise(graph, principal, purpose_id, version,
                                             _terms(input)))


class ApprovePurpose(Mutation):
    """The lab approves a proposed purpose (this version): citizens may consent to it."""

    Input = PurposeVersion
    purpose = graphene.Field(Purpose, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return _moved(info, input, purpose_service.approve)


class RetirePurpose(Mutation):
    """Stop offering a purpose; consents already given stay until they end or are withdrawn."""

    Input = PurposeVersion
    purpose = graphene.Field(Purpose, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return _moved(info, input, purpose_service.retire)


class RecordDataUse(Mutation):
    """Tell the citizen what came of one of your reads of their data (vacancies shown, courses
    suggested, an application, an interview, a service): shown beside the read on their page."""

    class Input:
        read_id = graphene.ID(required=True, description="citizenProfile's readId.")
        kind = graphene.Field(DataUseKind, required=True)
        count = graphene.Int(description="How many; 1 when omitted.")
        note = graphene.String(description="A few words to the citizen (at most 500 characters).")
        links = graphene.List(graphene.NonNull(graphene.String),
                              description="Where the citizen can see it (http(s) addresses).")

    data_use = graphene.Field(DataUse, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        count = input.get("count")
        made = data_use_service.record(
            context.graph, context.principal, read_id=input["read_id"],
            kind=str(plain(input["kind"])), count=1 if count is None else count,
            note=input.get("note"), links=input.get("links"))
        return payload_records(info, viewer(info), "DataUse", {"dataUse": made})


class ConsentMutations(graphene.ObjectType):
    grant_consent = GrantConsent.Field()
    change_consent = ChangeConsent.Field()
    withdraw_consent = WithdrawConsent.Field()
    declare_purpose = DeclarePurpose.Field()
    revise_purpose = RevisePurpose.Field()
    approve_purpose = ApprovePurpose.Field()
    retire_purpose = RetirePurpose.Field()
    record_data_use = RecordDataUse.Field()
