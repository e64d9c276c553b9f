"""Partner platforms' mutations: onboarding, promotion and on-demand syncs."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.api.mutation import Mutation, plain
from partners.api.platforms import FeedTransport, PartnerPlatform, SyncRun, caller
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync

PlatformKind = code_enum("PlatformKind", partner_platforms.KINDS,
                         "What a partner platform's feed holds.")


class RegisterPartnerPlatform(Mutation):
    """Register a platform; it starts in TEST mode. The only way to add one."""

    class Input:
        name = graphene.String(required=True, description="lower-case, digits and dashes")
        kind = PlatformKind(required=True)
        connector = graphene.String(required=True)
        transport = FeedTransport(required=True)
        location = graphene.String(description="The feed's URL (HTTP) or file path (FILE).")
        allowed_record_types = graphene.List(graphene.NonNull(graphene.String))
        client_id = graphene.String()
        operator_id = graphene.ID(description="The organisation that operates the platform.")
        schedule_seconds = graphene.Int()

    platform = graphene.Field(PartnerPlatform, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"platform": partner_platforms.register(
            ctx(info).graph, name=input["name"], kind=str(plain(input["kind"])),
            connector=input["connector"], transport=str(plain(input.get("transport"))),
            location=input.get("location") or "",
            allowed_record_types=input.get("allowed_record_types"),
            client_id=input.get("client_id"), operator_id=input.get("operator_id"),
            schedule_seconds=input.get("schedule_seconds"))}


class PromotePartnerPlatform(Mutation):
    """Move a platform from TEST to PRODUCTION (lab admins only)."""

    class Input:
        id = graphene.ID(required=True)

    platform = graphene.Field(PartnerPlatform, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"platform": partner_platforms.promote(ctx(info).graph, input["id"],
                                                      caller(info))}


class SyncPartnerFeed(Mutation):
    """Ask a worker to sync a platform's feed now; returns the run (the running one if busy)."""

    class Input:
        platform = graphene.String(required=True, description="The platform's name or id.")

    run = graphene.Field(SyncRun, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        context = ctx(info)
        platform = input["platform"]
        partner_platforms.require_may_write(context.graph, platform, caller(info))
        return {"run": partner_sync.request_sync(context.graph, context.tasks, platform)}


class PartnerMutations(graphene.ObjectType):
    register_partner_platform = RegisterPartnerPlatform.Field()
    promote_partner_platform = PromotePartnerPlatform.Field()
    sync_partner_feed = SyncPartnerFeed.Field()
