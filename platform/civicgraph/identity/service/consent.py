"""Consent (GDPR art. 7, MyData consent records) and the reads it allows.

A citizen grants an organisation a purpose and data categories until an expiry; withdrawing is
one call, like granting, and counts from the next request. A partner's client reads a citizen's
categories only under such a live consent for its own organisation; the repository enforces that
inside the Cypher that reads, and logs each request, read or refused, in the same statement
(the citizen's hash-chained log: ``service/access_log.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Hashable
from typing import Any

from civicgraph.compiler.domains import identity as identity_model
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.access import Principal, require_organisation, require_person
from civicgraph.core.errors import BadInput, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import consent as repo
from civicgraph.identity.service import access_log

CATEGORIES = identity_model.CATEGORIES
PURPOSE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365
LOG_MAX = 200


def _purpose(purpose: str) -> str:
    clean = (purpose or "").strip().lower()
    if not PURPOSE_PATTERN.match(clean):
        raise BadInput("purpose is a short name: lower-case letters, digits and dashes "
                       "(e.g. job-matching)", field="purpose")
    return clean


def grant(graph: Graph, principal: Principal, *, organisation_id: str, purpose: str,
          categories: list[str], expires_at: dt.datetime | None = None) -> dict[str, Any]:
    person_id = require_person(principal, "CITIZEN")
    clean = sorted(set(categories))
    unknown = [c for c in clean if c not in CATEGORIES]
    if unknown or not clean:
        raise BadInput(f"categories must be some of {', '.join(CATEGORIES)}",
                       field="categories")
    now = dt.datetime.now(dt.UTC)
    expiry = expires_at or now + dt.timedelta(days=DEFAULT_DAYS)
    if expiry.tzinfo is None:
        expiry = expiry.replace(tzinfo=dt.UTC)
    if expiry <= now or expiry > now + dt.timedelta(days=MAX_DAYS):
        raise BadInput(f"expiresAt must be in the future and within {MAX_DAYS} days",
                       field="expiresAt")
    consent = repo.grant(graph, {
        "id": str(uuid.uuid4()), "personId": person_id, "organisationId": organisation_id,
        "purpose": _purpose(purpose), "categories": clean, "expiresAt": expiry,
    })
    if consent is None:
        raise NotFound(f"no organisation with id {organisation_id}", field="organisationId")
    return consent


def withdraw(graph: Graph, principal: Principal, consent_id: str) -> dict[str, Any]:
    person_id = require_person(principal, "CITIZEN")
    consent = repo.withdraw(graph, person_id, consent_id)
    if consent is None:
        raise NotFound(f"you have no consent with id {consent_id}", field="id")
    return consent


def my_consents(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    return repo.consents_of(graph, require_person(principal, "CITIZEN"))


def my_access_log(graph: Graph, principal: Principal, first: int | None) -> list[dict[str, Any]]:
    size = 50 if first is None else first
    if not 0 <= size <= LOG_MAX:
        raise BadInput(f"first must be between 0 and {LOG_MAX}", field="first")
    return access_log.access_log_of(graph, require_person(principal, "CITIZEN"), size)


def requested_categories(root: Selection) -> list[str]:
    """The categories the client selects (fragments are flattened in ``root`` already), so
    only those are read and logged."""
    asked = {identity_model.CATEGORY_OF[s.field] for s in root.children
             if s.field in identity_model.CATEGORY_OF}
    return [c for c in CATEGORIES if c in asked]


def citizen_profile(graph: Graph, principal: Principal, *, citizen_id: str, purpose: str,
                    root: Selection, viewer: Visibility,
                    document: Hashable | None = None) -> dict[str, Any]:
    """The categories of ``root`` (the client's selection) a live consent covers. Every
    request is logged in the citizen's chain, a refusal too: the reading statement writes the
    event under the citizen's lock and the hash is sealed in the same transaction, which
    commits before a refusal is raised."""
    organisation_id = require_organisation(principal)
    params = {
        "citizenId": citizen_id, "organisationId": organisation_id,
        "purpose": _purpose(purpose), "requested": requested_categories(root),
        "clientId": principal.client_id, "eventId": str(uuid.uuid4()),
        "chainId": str(uuid.uuid4()),
    }

    def work() -> dict[str, Any] | None:
        row = repo.read_profile(graph, params, root, viewer, document)
        if row is None:
            return None
        access_log.seal(graph, citizen_id, row)
        return dict(row["profile"]) if row["profile"] is not None else None

    profile = graph.write_transaction(work)
    if profile is None:
        # The same answer whether the citizen exists or not: no probing for who is registered.
        raise Forbidden("no live consent from this citizen for your organisation and purpose",
                        purpose=purpose)
    return profile


def record_of_processing(graph: Graph) -> list[dict[str, Any]]:
    return repo.record_of_processing(graph)
