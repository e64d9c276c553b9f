"""Challenges: posted by the lab or by an organisation, in fields, with a weighted rubric."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core import clock
from civicgraph.core.access import PARTNER, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import challenges as repo
from civicgraph.lab.service import machine
from civicgraph.lab.service.lifecycles import CHALLENGE, PROPOSAL
from civicgraph.lab.service.validation import (
    acting_for,
    page_size,
    require_role,
    text,
)

CRITERIA_MAX = 20
# The proposals a challenge read counts, a panel judges and staff list: those sent.
SENT = PROPOSAL.params("sent")


def _criteria(raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if not raw:
        return []
    if len(raw) > CRITERIA_MAX:
        raise BadInput(f"a rubric has at most {CRITERIA_MAX} criteria", field="criteria")
    cleaned: list[dict[str, Any]] = []
    for position, item in enumerate(raw):
        name = text("Criterion", "name", item.get("name"), field="criteria.name")
        weight = item.get("weight")
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise BadInput(f"criterion {name!r} needs a positive weight", field="criteria.weight")
        if any(c["name"].casefold() == name.casefold() for c in cleaned):
            raise BadInput(f"criterion {name!r} is named twice", field="criteria.name")
        cleaned.append({"id": str(uuid.uuid4()), "name": name, "weight": float(weight),
                        "description": text("Criterion", "description", item.get("description"),
                                            field="criteria.description"),
                        "position": position})
    return cleaned


def field_ids(graph: Graph, field_codes: list[str]) -> list[str]:
    codes = sorted(set(field_codes))
    found = repo.fields_by_code(graph, codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise BadInput(f"unknown fields: {', '.join(unknown)}", field="fields", unknown=unknown)
    return [found[c] for c in codes]


def create(graph: Graph, actor: Actor, *, title: str | None, description: str | None,
           eligibility: str | None = None, field_codes: list[str] | None = None,
           criteria: list[dict[str, Any]] | None = None, deadline: str | dt.datetime | None = None,
           organisation_id: str | None = None) -> dict[str, Any]:
    """Staff post for the lab (or for a named organisation); a partner posts for its own."""
    organisation_id = acting_for(actor, organisation_id, "post a challenge")
    fields = {
        "id": str(uuid.uuid4()), "title": text("Challenge", "title", title),
        "description": text("Challenge", "description", description),
        "eligibility": text("Challenge", "eligibility", eligibility),
        "deadline": clock.iso(clock.parse(deadline, "deadline")) if deadline else None,
        "criteria": _criteria(criteria),
        "organisationId": organisation_id, "actorId": actor.id, "at": clock.iso(), **SENT,
    }

    def work() -> dict[str, Any]:
        # The fields are looked up in the transaction that links them, so the challenge is
        # made with every field it names or not at all.
        return repo.create(graph, {**fields, "fieldIds": field_ids(graph, field_codes or [])})

    return graph.write_transaction(work)


def get(graph: Graph, challenge_id: str) -> dict[str, Any]:
    challenge = repo.get(graph, challenge_id, SENT)
    if challenge is None:
        raise NotFound(f"no challenge with id {challenge_id}", id=challenge_id)
    return challenge


def readable(graph: Graph, challenge_id: str, reader: Actor) -> dict[str, Any]:
    """A challenge as this reader may see it: a private one (a draft) exists for staff only."""
    challenge = get(graph, challenge_id)
    if challenge["status"] in CHALLENGE.sets["private"] and not reader.has_any(STAFF):
        raise NotFound(f"no challenge with id {challenge_id}", id=challenge_id)
    return challenge


def public_list(graph: Graph, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """What anyone may read: challenges that have been opened (drafts stay private)."""
    public = CHALLENGE.sets["public"]
    statuses = list(public) if status is None else [s for s in public if s == status]
    return repo.list_by_status(graph, statuses, page_size(limit), SENT)


def drafts(graph: Graph, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    """Drafts are private: lab staff only (a partner's own drafts are not listed here)."""
    require_role(actor, STAFF, "list draft challenges")
    return repo.list_by_status(graph, list(CHALLENGE.sets["private"]), page_size(limit), SENT)


def _real_changes(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The changes that differ from the challenge as read: a form sends every field back, and
    saving it untouched is no edit (no new version, the rubric's criteria kept as they are).

    Compared with the version read, not under the lock: if the challenge moved on since, the
    write's version check refuses the edit anyway."""
    def same(key: str, value: Any) -> bool:
        if key == "deadline":
            return current["deadline"] is not None and clock.parse(
                current["deadline"], "deadline") == clock.parse(value, "deadline")
        if key == "fieldIds":
            return sorted(value) == sorted(f["id"] for f in current["fields"])
        if key == "criteria":
            return [(k["name"], k["weight"], k["description"]) for k in value] == [
                (k["name"], float(k["weight"]), k["description"] or "")
                for k in current["criteria"]]
        return bool(value == (current[key] or ""))

    return {key: value for key, value in changes.items() if not same(key, value)}


def update(graph: Graph, actor: Actor, challenge_id: str, version: int, *,
           description: str | None = None, eligibility: str | None = None,
           deadline: str | dt.datetime | None = None, field_codes: list[str] | None = None,
           criteria: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Edit while editable (e.g. extend the deadline), by staff or the posting partner.

    The rubric changes only in a narrower set (proposers write to it): see the lifecycle's sets.
    """
    current = get(graph, challenge_id)
    if not (actor.has_any(STAFF) or (PARTNER in actor.roles
                                     and machine.owns(graph, CHALLENGE.kind, challenge_id, actor))):
        raise Forbidden("only lab staff or the posting organisation may edit this challenge")
    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = text("Challenge", "description", description)
    if eligibility is not None:
        changes["eligibility"] = text("Challenge", "eligibility", eligibility)
    if deadline is not None:
        changes["deadline"] = clock.iso(clock.parse(deadline, "deadline"))
    if field_codes is not None:
        changes["fieldIds"] = field_ids(graph, field_codes)
    if criteria is not None:
        changes["criteria"] = _criteria(criteria)
    changes = _real_changes(current, changes)
    if "criteria" in changes and current["status"] not in CHALLENGE.sets["rubric_editable"]:
        raise BadInput("the rubric can change only while the challenge is a "
                       + CHALLENGE.words("rubric_editable"), field="criteria")
    updated = repo.update(graph, challenge_id, version, changes, clock.iso(),
                          {**SENT, **CHALLENGE.params("editable", "rubric_editable")})
    if updated is None:
        latest = get(graph, challenge_id)
        raise Conflict(
            f"the challenge is at version {latest['version']} ({latest['status']}); only a "
            f"{CHALLENGE.words('editable')} challenge at the version you read can be edited",
            currentVersion=latest["version"], currentStatus=latest["status"],
        )
    return updated


def advance(graph: Graph, actor: Actor, challenge_id: str, to: str, version: int,
            reason: str | None = None) -> dict[str, Any]:
    return machine.advance(graph, CHALLENGE.kind, challenge_id, to, actor, version, reason)
