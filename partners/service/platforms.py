"""Onboarding partner platforms, KEHA-style: register in TEST, promoted to PRODUCTION by an admin.

Who is asking arrives as a ``Caller`` (the platform a client acts for, and whether it is a lab
admin), made from the access token's principal by :func:`caller_for`; the CLI acts as an
operator (admin).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from civicgraph.compiler.model import PARTNER_PLATFORM, PLATFORM_KINDS
from civicgraph.core.access import ADMIN, Principal
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from partners.connectors.contract import RECORD_TYPES, Transport
from partners.connectors.registry import CONNECTORS
from partners.cypher import platforms as repo

# The model's platform kinds, each with what such a platform feeds (the API's PlatformKind).
KINDS = {
    "JOB_BOARD": "Publishes vacancies",
    "TRAINING_CATALOGUE": "Publishes training courses",
    "COMPANY_REGISTER": "Publishes organisations and their registrations",
    "SERVICE_DIRECTORY": "Publishes public and third-sector services",
    "OTHER": "Any other feed of allowed record types",
}
if set(KINDS) != set(PLATFORM_KINDS):
    raise RuntimeError("partners.service.platforms.KINDS must describe every PLATFORM_KINDS")


@dataclass(frozen=True)
class Caller:
    """Who reads or writes: the platform a client acts for (if any) and the admin flag."""

    platform_id: str | None = None
    admin: bool = False


ANONYMOUS = Caller()
OPERATOR = Caller(admin=True)


def caller_for(graph: Graph, principal: Principal) -> Caller:
    """The partner domain's view of a token: admin, the platform its client acts for, or nobody."""
    if not principal.authenticated:
        return ANONYMOUS
    if ADMIN in principal.scopes:
        return OPERATOR
    platform_id = (repo.platform_id_for_client(graph, principal.client_id)
                   if principal.client_id else None)
    return Caller(platform_id=platform_id)


def require_may_write(graph: Graph, name_or_id: str, caller: Caller) -> dict[str, Any]:
    """Only the platform's own client (or an admin) syncs it or pushes records to it."""
    found = get(graph, name_or_id)
    if not caller.admin and caller.platform_id != found["id"]:
        raise Forbidden(f"only {found['name']}'s own client or a lab admin may do this",
                        platform=found["name"])
    return found


def register(graph: Graph, *, name: str, kind: str, connector: str, transport: str,
             location: str = "", allowed_record_types: list[str] | None = None,
             client_id: str | None = None, operator_id: str | None = None,
             schedule_seconds: int | None = None) -> dict[str, Any]:
    """A new platform starts in TEST: what it writes is visible only to itself and admins."""
    props = PARTNER_PLATFORM.clean({"name": (name or "").lower(), "kind": kind, "mode": "TEST"},
                                   creating=True)
    name = props["name"]
    feed = CONNECTORS.get(connector)
    if feed is None:
        raise BadInput(f"no connector {connector!r}; known: {', '.join(CONNECTORS)}",
                       field="connector")
    try:
        chosen = Transport(transport)
    except ValueError as exc:
        raise BadInput("transport must be HTTP, FILE or WEBHOOK", field="transport") from exc
    if chosen not in feed.transports:
        raise BadInput(f"{connector} cannot be read by {transport}", field="transport")
    location = (location or "").strip()
    if chosen is Transport.HTTP and not re.match(r"^https?://", location):
        raise BadInput("an HTTP feed needs an http(s) URL as location", field="location")
    if chosen is Transport.FILE and not location:
        raise BadInput("a FILE feed needs the file's path as location", field="location")
    allowed = sorted(set(allowed_record_types or [feed.record_type]))
    unknown = [t for t in allowed if t not in RECORD_TYPES]
    if unknown:
        raise BadInput(f"unknown record types {unknown}; use {list(RECORD_TYPES)}",
                       field="allowedRecordTypes")
    every = feed.schedule.every_seconds if schedule_seconds is None else schedule_seconds
    if every < 0:
        raise BadInput("scheduleSeconds must be 0 (no schedule) or more", field="scheduleSeconds")
    if repo.platform(graph, name=name) is not None:
        raise Conflict(f"a partner platform named {name!r} is already registered")
    now = dt.datetime.now(dt.UTC)
    return repo.create_platform(graph, {
        **props, "connector": connector, "transport": chosen.value, "location": location,
        "allowedRecordTypes": allowed, "clientId": client_id, "scheduleSeconds": every,
        "nextSyncAt": now if every and chosen is not Transport.WEBHOOK else None,
    }, operator_id)


def promote(graph: Graph, platform_id: str, caller: Caller) -> dict[str, Any]:
    """Only a lab admin moves a platform to PRODUCTION; promoting twice changes nothing."""
    if not caller.admin:
        raise Forbidden("only a lab admin can promote a partner platform to production")
    promoted = repo.promote(graph, platform_id)
    if promoted is None:
        raise NotFound(f"no partner platform with id {platform_id}", ids=[platform_id])
    return promoted


def get(graph: Graph, name_or_id: str) -> dict[str, Any]:
    found = repo.platform(graph, name=name_or_id, id=name_or_id)
    if found is None:
        raise NotFound(f"no partner platform {name_or_id!r}", ids=[name_or_id])
    return found


def list_all(graph: Graph) -> list[dict[str, Any]]:
    return repo.platforms(graph)
