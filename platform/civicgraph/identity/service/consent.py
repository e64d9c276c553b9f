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
from civicgraph.identity.cypher import purposes as repo_purposes
from civicgraph.identity.service import access_log, purposes

CATEGORIES = identity_model.CATEGORIES
PURPOSE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365


def _purpose(purpose: str) -> str:
    clean = (purpose or "").strip().lower()
    if not PURPOSE_PATTERN.match(clean):
        raise BadInput("purpose is the code of one of your organisation's declared purposes "
                       "(e.g. job-matching)", field="purpose")
    return clean


def _expiry(expires_at: dt.datetime | None, default: dt.datetime | None = None) -> dt.datetime:
    """The end of a consent: a year unless chosen, never past, never beyond three years."""
    now = dt.datetime.now(dt.UTC)
    expiry = expires_at or default or now + dt.timedelta(days=DEFAULT_DAYS)
    if expiry.tzinfo is None:
        expiry = expiry.replace(tzinfo=dt.UTC)
    if expiry <= now:
        raise BadInput("The end date must be after today.", field="expiresAt")
    if expiry > now + dt.timedelta(days=MAX_DAYS):
        raise BadInput("The end date can be at most three years from today.",
                       field="expiresAt")
    return expiry


def _within(purpose: dict[str, Any], chosen: list[str]) -> None:
    if not set(chosen) <= set(purpose["categories"]):
        raise BadInput("This purpose does not use some of the data you ticked: tick only what "
                       "it says it needs.", field="categories")


def grant(graph: Graph, principal: Principal, *, purpose_id: str,
          categories: list[str] | None = None,
          expires_at: dt.datetime | None = None) -> dict[str, Any]:
    """Consent to a declared, approved purpose: all the data it needs unless the citizen
    chooses fewer categories, for a year unless they choose an end date."""
    person_id = require_person(principal, "CITIZEN")
    if not (purpose_id or "").strip():
        raise BadInput("Choose what your data may be used for.", field="purposeId")
    purpose = repo_purposes.get(graph, purpose_id)
    if purpose is None or purpose["status"] != "APPROVED":
        raise BadInput("This purpose is not open for consent; choose another one.",
                       field="purposeId")
    chosen = (purposes.categories_of(categories) if categories is not None
              else list(purpose["categories"]))
    _within(purpose, chosen)
    consent = repo.grant(graph, {
        "id": str(uuid.uuid4()), "personId": person_id, "purposeId": purpose_id,
        "categories": chosen, "expiresAt": _expiry(expires_at), "statuses": ["APPROVED"],
        "purposeVersion": None,
    })
    if consent is None:
        raise BadInput("This purpose is not open for consent; choose another one.",
                       field="purposeId")
    return consent


def change(graph: Graph, principal: Principal, consent_id: str, *,
           categories: list[str] | None = None,
           expires_at: dt.datetime | None = None) -> dict[str, Any]:
    """Narrow (fewer categories, an earlier end) or extend (more of what the purpose needs,
    a later end) a live consent: a new consent replaces it, so the history stays. Narrowing
    keeps the purpose version agreed to; extending agrees to the purpose as approved now."""
    person_id = require_person(principal, "CITIZEN")
    old = repo.consent_of(graph, person_id, consent_id)
    if old is None:
        raise NotFound(f"you have no consent with id {consent_id}", field="id")
    if old["status"] != "LIVE" or old.get("declared") is None:
        raise BadInput("Only a consent in force, given for a declared purpose, can be "
                       "changed; give a new one instead.", field="_")
    purpose = old["declared"]
    chosen = purposes.categories_of(categories) if categories is not None \
        else list(old["categories"])
    old_end = dt.datetime.fromisoformat(old["expiresAt"].replace("Z", "+00:00"))
    expiry = _expiry(expires_at, default=old_end)
    if set(chosen) == set(old["categories"]) and expiry == old_end:
        raise BadInput("Nothing changed: tick other data or choose another end date.",
                       field="_")
    narrowing = set(chosen) <= set(old["categories"]) and expiry <= old_end
    if not narrowing:
        if purpose["status"] != "APPROVED":
            raise BadInput("This purpose is no longer open: you can narrow or withdraw this "
                           "consent, not extend it.", field="_")
        _within(purpose, chosen)
    changed = repo.grant(graph, {
        "id": str(uuid.uuid4()), "personId": person_id, "purposeId": purpose["id"],
        "categories": chosen, "expiresAt": expiry,
        "statuses": list(identity_model.PURPOSE_STATUSES) if narrowing else ["APPROVED"],
        "purposeVersion": old["purposeVersion"] if narrowing else None,
    })
    if changed is None:
        raise BadInput("This purpose is no longer open: you can narrow or withdraw this "
                       "consent, not extend it.", field="_")
    return changed


def withdraw(graph: Graph, principal: Principal, consent_id: str) -> dict[str, Any]:
    person_id = require_person(principal, "CITIZEN")
    consent = repo.withdraw(graph, person_id, consent_id)
    if consent is None:
        raise NotFound(f"you have no consent with id {consent_id}", field="id")
    return consent


def my_consents(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    return repo.consents_of(graph, require_person(principal, "CITIZEN"))


def my_consent(graph: Graph, principal: Principal, consent_id: str) -> dict[str, Any]:
    found = repo.consent_of(graph, require_person(principal, "CITIZEN"), consent_id)
    if found is None:
        raise NotFound(f"you have no consent with id {consent_id}", field="id")
    return found


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


def what_you_hold(graph: Graph, principal: Principal) -> dict[str, Any]:
    """The citizen's own data by category: what a consent to each category lets be read."""
    return repo.categories_held(graph, require_person(principal, "CITIZEN"))


REMIND_DAYS = 30
"""A consent in force is reminded this many days before it ends (the beat task)."""


def remind_ending(graph: Graph) -> int:
    """Remind each citizen of consents ending within REMIND_DAYS, once per consent. The
    reminder is shown on the citizen's page (the platform has no mail of its own; a sender
    would read the same reminders)."""
    return repo.remind_ending(graph, REMIND_DAYS)


def my_reminders(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    return repo.reminders_of(graph, require_person(principal, "CITIZEN"))
