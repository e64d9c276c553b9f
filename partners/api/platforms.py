"""Partner platforms through GraphQL: onboarding, on-demand syncs, sync logs and provenance."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.model_types import OBJECTS
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import Caller


def caller(info: Any) -> Caller:
    """The asking principal as the partner services see it (admin, a platform, or anonymous)."""
    context = ctx(info)
    return partner_platforms.caller_for(context.graph, context.principal)


# A platform, its sync runs and what they quarantined are the model's types
# (compiler.model, compiler.domains.feeds), reachable from every record they sourced.
PartnerPlatform = OBJECTS["PartnerPlatform"]
SyncRun = OBJECTS["SyncRun"]
QuarantinedRecord = OBJECTS["QuarantinedRecord"]

FeedTransport = graphene.Enum(
    "FeedTransport", [("HTTP", "HTTP"), ("FILE", "FILE"), ("WEBHOOK", "WEBHOOK")])


class RecordSource(graphene.ObjectType):
    """Provenance: which platform said this, under which key, when, and with which content hash."""

    platform = graphene.String(required=True)
    platform_id = graphene.ID(required=True)
    mode = graphene.String(required=True)
    key = graphene.String(required=True)
    fetched_at = graphene.String(required=True)
    hash = graphene.String(required=True,
                           description="sha256 of the mapped record's canonical JSON")
    withdrawn_at = graphene.String()


class PartnerQueries(graphene.ObjectType):
    partner_feeds = graphene.List(graphene.NonNull(PartnerPlatform), required=True)
    sync_run = graphene.Field(SyncRun, required=True, id=graphene.ID(required=True))
    sync_runs = graphene.List(graphene.NonNull(SyncRun), required=True,
                              platform=graphene.String(), first=graphene.Int(default_value=20))
    quarantined_records = graphene.List(
        graphene.NonNull(QuarantinedRecord), required=True, platform=graphene.String(),
        run_id=graphene.ID(), first=graphene.Int(default_value=20))
    sources = graphene.List(graphene.NonNull(RecordSource), required=True,
                            record_id=graphene.ID(required=True),
                            description="Where a vacancy, course or organisation came from.")

    @staticmethod
    def resolve_partner_feeds(root: Any, info: Any) -> list[dict[str, Any]]:
        return partner_platforms.list_all(ctx(info).graph)

    @staticmethod
    def resolve_sync_run(root: Any, info: Any, id: str) -> dict[str, Any]:
        return partner_sync.get_run(ctx(info).graph, id)

    @staticmethod
    def resolve_sync_runs(root: Any, info: Any, platform: str | None = None, first: int = 20
                          ) -> list[dict[str, Any]]:
        return partner_sync.list_runs(ctx(info).graph, platform, first)

    @staticmethod
    def resolve_quarantined_records(root: Any, info: Any, platform: str | None = None,
                                    run_id: str | None = None, first: int = 20
                                    ) -> list[dict[str, Any]]:
        return partner_sync.list_quarantined(ctx(info).graph, platform, run_id, first)

    @staticmethod
    def resolve_sources(root: Any, info: Any, record_id: str) -> list[dict[str, Any]]:
        return partner_sync.sources(ctx(info).graph, record_id)


class RegisterPartnerPlatformInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="lower-case, digits and dashes")
    kind = graphene.String(required=True, description=", ".join(partner_platforms.KINDS))
    connector = graphene.String(required=True)
    transport = FeedTransport(required=True)
    location = graphene.String(description="The feed's URL (HTTP) or file path (FILE).")
    allowed_record_types = graphene.List(graphene.NonNull(graphene.String))
    client_id = graphene.String()
    operator_id = graphene.ID(description="The organisation that operates the platform.")
    schedule_seconds = graphene.Int()


class RegisterPartnerPlatform(graphene.Mutation):
    """Register a platform; it starts in TEST mode."""

    class Arguments:
        input = RegisterPartnerPlatformInput(required=True)

    platform = graphene.Field(PartnerPlatform, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> RegisterPartnerPlatform:
        transport = input.get("transport")
        platform = partner_platforms.register(
            ctx(info).graph, name=input["name"], kind=input["kind"],
            connector=input["connector"], transport=str(getattr(transport, "value", transport)),
            location=input.get("location") or "",
            allowed_record_types=input.get("allowed_record_types"),
            client_id=input.get("client_id"), operator_id=input.get("operator_id"),
            schedule_seconds=input.get("schedule_seconds"))
        return RegisterPartnerPlatform(platform=platform)


class PromotePartnerPlatform(graphene.Mutation):
    """Move a platform from TEST to PRODUCTION (lab admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    platform = graphene.Field(PartnerPlatform, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, id: str) -> PromotePartnerPlatform:
        promoted = partner_platforms.promote(ctx(info).graph, id, caller(info))
        return PromotePartnerPlatform(platform=promoted)


class SyncPartnerFeed(graphene.Mutation):
    """Ask a worker to sync a platform's feed now; returns the run (the running one if busy)."""

    class Arguments:
        platform = graphene.String(required=True, description="The platform's name or id.")

    run = graphene.Field(SyncRun, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, platform: str) -> SyncPartnerFeed:
        context = ctx(info)
        partner_platforms.require_may_write(context.graph, platform, caller(info))
        return SyncPartnerFeed(run=partner_sync.request_sync(context.graph, context.tasks,
                                                             platform))


class PartnerMutations(graphene.ObjectType):
    register_partner_platform = RegisterPartnerPlatform.Field(required=True)
    promote_partner_platform = PromotePartnerPlatform.Field(required=True)
    sync_partner_feed = SyncPartnerFeed.Field(required=True)
