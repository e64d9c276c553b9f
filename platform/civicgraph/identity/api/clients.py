"""OAuth clients through GraphQL: admin only (see ``policy.POLICY``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.core import clock
from civicgraph.identity.service import clients as service

GrantType = code_enum("GrantType", service.GRANT_TYPES, "How a client obtains tokens.")


class OAuthClient(graphene.ObjectType):
    id = graphene.ID(required=True)
    client_id = graphene.String(required=True)
    name = graphene.String(required=True)
    organisation_id = graphene.ID()
    organisation_name = graphene.String()
    scopes = graphene.List(graphene.NonNull(graphene.String), required=True)
    grant_types = graphene.List(graphene.NonNull(GrantType), required=True)
    redirect_uris = graphene.List(graphene.NonNull(graphene.String), required=True)
    public = graphene.Boolean(required=True)
    revoked = graphene.Boolean(required=True)
    created_at = graphene.DateTime()

    @staticmethod
    def resolve_created_at(parent: dict[str, Any], info: Any) -> dt.datetime | None:
        value = parent.get("createdAt")
        return clock.parse(value, "createdAt") if value else None

    @staticmethod
    def resolve_public(parent: dict[str, Any], info: Any) -> bool:
        return parent.get("authMethod") == "none"


class AccessQueries(graphene.ObjectType):
    oauth_clients = graphene.List(graphene.NonNull(OAuthClient), required=True)

    @staticmethod
    def resolve_oauth_clients(root: Any, info: Any) -> list[dict[str, Any]]:
        return service.list_all(ctx(info).graph)
