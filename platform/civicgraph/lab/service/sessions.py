"""Lab sessions and workshops in fields, run by experts, with participants."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core import clock
from civicgraph.core.access import EXPERT, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import sessions as repo
from civicgraph.lab.service.challenges import field_ids
from civicgraph.lab.service.validation import (
    choice,
    page_size,
    require_role,
    require_signed_in,
    text,
)

KINDS = {
    "SESSION": "A lab session: experts and participants working in a field",
    "WORKSHOP": "A hands-on workshop led by experts",
    "IDEATION": "An ideation session: people bring and shape ideas for the lab",
    "CO_DESIGN": "A co-design workshop: users and staff design a service together",
    "PITCH": "A pitch session: teams present their proposals or pilots",
    "HACKATHON": "A hackathon: teams build on a data kit against the clock",
}


def create(graph: Graph, actor: Actor, *, title: str | None, kind: str,
           starts_at: str | dt.datetime,
           ends_at: str | dt.datetime, field_codes: list[str], expert_ids: list[str] | None = None,
           description: str | None = None, location: str | None = None,
           capacity: int | None = None) -> dict[str, Any]:
    """Staff or an expert schedule a session; an expert creating one facilitates it."""
    require_role(actor, STAFF | {EXPERT}, "schedule lab sessions")
    start, end = clock.parse(starts_at, "startsAt"), clock.parse(ends_at, "endsAt")
    if end <= start:
        raise BadInput("a session ends after it starts", field="endsAt")
    if capacity is not None and capacity < 1:
        raise BadInput("capacity is at least 1", field="capacity")
    experts = sorted(set(expert_ids or []) | ({actor.id} if EXPERT in actor.roles else set()))
    fields = {
        "id": str(uuid.uuid4()), "title": text("Session", "title", title),
        "kind": choice(kind, "kind", KINDS),
        "description": text("Session", "description", description),
        "location": text("Session", "location", location),
        "capacity": capacity, "startsAt": clock.iso(start), "endsAt": clock.iso(end),
        "expertIds": experts, "actorId": actor.id, "at": clock.iso(),
    }

    def work() -> dict[str, Any]:
        # The experts and fields are checked in the transaction that links them, so a session
        # is made with the people and fields it names or not at all.
        not_experts = sorted(set(experts) - repo.experts_among(graph, experts))
        if not_experts:
            raise BadInput(f"not experts: {', '.join(not_experts)}", field="expertIds")
        return repo.create(graph, {**fields, "fieldIds": field_ids(graph, field_codes)})

    return graph.write_transaction(work)


def join(graph: Graph, actor: Actor, session_id: str) -> dict[str, Any]:
    require_signed_in(actor)
    joined = repo.join(graph, session_id, actor.id, clock.iso())
    if joined is None:
        if not repo.exists(graph, session_id):
            raise NotFound(f"no session with id {session_id}", id=session_id)
        raise Conflict("the session is full")
    return joined


def upcoming(graph: Graph, field_code: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    return repo.listing(graph, field_code, clock.iso(), page_size(limit))


def for_person(graph: Graph, actor: Actor | None, limit: int = 50) -> list[dict[str, Any]]:
    """Sessions not over yet, each saying whether the signed-in person registered."""
    person = actor.id if actor is not None and actor.signed_in else None
    return repo.listing_for(graph, clock.iso(), page_size(limit), person)


def leave(graph: Graph, actor: Actor, session_id: str) -> None:
    """Cancel one's registration, until the session starts (then it is history)."""
    require_signed_in(actor)
    found = repo.get(graph, session_id)
    if found is None:
        raise NotFound(f"no session with id {session_id}", id=session_id)
    if clock.parse(found["startsAt"], "startsAt") <= clock.now():
        raise BadInput("the session has started: registrations stay as they are",
                       field="sessionId")
    repo.leave(graph, session_id, actor.id)


def with_people(graph: Graph, actor: Actor, session_id: str) -> dict[str, Any]:
    """A session with who registered and who attended: for staff and its facilitators."""
    require_role(actor, STAFF | {EXPERT}, "see who takes part in a session")
    found = repo.get(graph, session_id)
    if found is None:
        raise NotFound(f"no session with id {session_id}", id=session_id)
    return found


def record_attendance(graph: Graph, actor: Actor, session_id: str,
                      attended: list[str]) -> int:
    """Who of the registered came: taken once the session has started."""
    found = with_people(graph, actor, session_id)
    if clock.parse(found["startsAt"], "startsAt") > clock.now():
        raise BadInput("attendance is taken once the session has started", field="attended")
    registered = {p["id"] for p in found["people"]}
    unknown = sorted(set(attended) - registered)
    if unknown:
        raise BadInput("only people who registered can be marked as attending",
                       field="attended", unknown=unknown)
    return repo.record_attendance(graph, session_id, sorted(set(attended)))


def field_choices(graph: Graph) -> list[dict[str, Any]]:
    return repo.field_choices(graph)

