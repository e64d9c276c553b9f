"""The one door for every lab status change, driven by the tables in :mod:`lifecycles`.

Order of checks, each with its own error: the target is a status the record's kind is ever moved
to (BAD_USER_INPUT, listing them as ``allowedValues``; checked before anything is read); the
record exists (NOT_FOUND); the caller read the
current version (CONFLICT); the move is legal from the current status (BAD_USER_INPUT, listing
the moves allowed now); the actor may make it (FORBIDDEN: role, or owner role within scope); a
reason is given where one is required; the conditions hold (BAD_USER_INPUT listing the unmet
ones). The write then re-checks the version under the record's lock, so of two callers who read
the same version only one moves it; the other gets CONFLICT.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from civicgraph.core import clock
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import transitions as repo
from civicgraph.lab.service.lifecycles import LIFECYCLES, STATUS_PARAMS, Lifecycle, Transition

REASON_MAX = 2000


def lifecycle(kind: str) -> Lifecycle:
    try:
        return LIFECYCLES[kind]
    except KeyError as exc:
        raise BadInput(f"unknown record kind {kind!r}", field="kind") from exc


def is_owner(actor: Actor, facts: dict[str, Any]) -> bool:
    owner_org = facts.get("ownerOrgId")
    if owner_org is not None and actor.organisation_id == owner_org:
        return True
    return actor.id in facts.get("ownerPersonIds", [])


def permitted(transition: Transition, actor: Actor, facts: dict[str, Any]) -> bool:
    if actor.has_any(transition.roles):
        return True
    return actor.has_any(transition.owner_roles) and is_owner(actor, facts)


def _facts(graph: Graph, lc: Lifecycle, record_id: str, now: str, target: str) -> dict[str, Any]:
    found = repo.facts(graph, lc.label, record_id, now, target, STATUS_PARAMS)
    if found is None:
        raise NotFound(f"no {lc.label.lower()} with id {record_id}", id=record_id)
    return found


def facts(graph: Graph, kind: str, record_id: str, target: str) -> dict[str, Any]:
    """The record's status, owners and conditions now, as a move to ``target`` would see them."""
    return _facts(graph, lifecycle(kind), record_id, clock.iso(), target)


def allowed_moves(graph: Graph, kind: str, record_id: str, actor: Actor) -> list[str]:
    """The statuses this actor may move the record to now (conditions aside)."""
    lc = lifecycle(kind)
    facts = _facts(graph, lc, record_id, clock.iso(), "")
    return [t.target for t in lc.moves_from(facts["status"]) if permitted(t, actor, facts)]


def owns(graph: Graph, kind: str, record_id: str, actor: Actor) -> bool:
    """The same scope check the transitions use: the actor's organisation or person owns it."""
    lc = lifecycle(kind)
    return is_owner(actor, _facts(graph, lc, record_id, clock.iso(), ""))


def advance(
    graph: Graph,
    kind: str,
    record_id: str,
    to: str,
    actor: Actor,
    version: int,
    reason: str | None = None,
    *,
    now: str | None = None,
    effect: str = "",
    effect_params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Move one record to ``to``; returns its new status and version, the event and webhooks."""
    targets = lifecycle(kind).targets
    if to not in targets:
        label = lifecycle(kind).label.lower()
        raise BadInput(f"a {label} is never moved to {to}; a {label} moves to "
                       f"{', '.join(targets)}", field="to", allowedValues=list(targets))
    # One transaction: the facts the checks read and the write they allow commit together (the
    # write still takes the record's lock and compares the version and the gate's conditions).
    def work() -> dict[str, Any]:
        lc = lifecycle(kind)
        at = now or clock.iso()
        facts = _facts(graph, lc, record_id, at, to)
        status = facts["status"]
        if facts["version"] != version:
            raise Conflict(
                f"this {lc.label.lower()} changed since you read it: it is at version "
                f"{facts['version']} ({status}), you named {version}",
                currentVersion=facts["version"], currentStatus=status,
            )
        moves = [t for t in lc.moves_from(status) if permitted(t, actor, facts)]
        allowed = [t.target for t in moves]
        transition = lc.find(status, to)
        if transition is None:
            raise BadInput(
                f"a {lc.label.lower()} in {status} cannot move to {to}; allowed now: "
                f"{', '.join(allowed) or 'none'}",
                field="to", currentStatus=status, allowedMoves=allowed,
            )
        if not permitted(transition, actor, facts):
            raise Forbidden(
                f"you may not move this {lc.label.lower()} from {status} to {to}; allowed for you "
                f"now: {', '.join(allowed) or 'none'}",
                currentStatus=status, allowedMoves=allowed,
            )
        if transition.via and not effect:
            raise BadInput(f"moving a {lc.label.lower()} to {to} is done with {transition.via}",
                           field="to")
        clean_reason = (reason or "").strip()
        if transition.needs_reason and not clean_reason:
            raise BadInput(f"moving a {lc.label.lower()} to {to} needs a reason", field="reason")
        if len(clean_reason) > REASON_MAX:
            raise BadInput(f"reason is limited to {REASON_MAX} characters", field="reason")
        unmet = [c for c in transition.conditions if not facts["conditions"].get(c)]
        if unmet:
            raise BadInput(
                f"the {lc.label.lower()} cannot move to {to} yet; unmet: {', '.join(unmet)}",
                field="to", unmetConditions=unmet,
            )
        event_id = str(uuid.uuid4())
        payload = json.dumps({
            "event": transition.webhook, "eventId": event_id, "kind": lc.kind, "id": record_id,
            "from": status, "to": to, "at": at, "reason": clean_reason or None,
        }, sort_keys=True)
        params = {
            "id": record_id, "version": version, "from": status, "to": to, "at": at,
            "actorId": actor.id, "reason": clean_reason or None, "eventId": event_id,
            "kind": lc.kind, "webhook": transition.webhook, "payload": payload,
            "effect": effect_params or {},
            "now": at, "target": to, "conditions": list(transition.conditions), **STATUS_PARAMS,
        }
        done = repo.transition(graph, lc.label, params, effect)
        if done is None:
            after = _facts(graph, lc, record_id, at, to)
            late = [c for c in transition.conditions if not after["conditions"].get(c)]
            if after["version"] == version and after["status"] == status and late:
                raise BadInput(
                    f"the {lc.label.lower()} cannot move to {to} yet; unmet: {', '.join(late)}",
                    field="to", unmetConditions=late,
                )
            raise Conflict(
                f"this {lc.label.lower()} changed while you were moving it: it is now at version "
                f"{after['version']} ({after['status']})",
                currentVersion=after["version"], currentStatus=after["status"],
            )
        return {"id": record_id, "kind": lc.kind, **done, "queuedWebhooks": done["queued"]}

    return graph.write_transaction(work)


def history(graph: Graph, kind: str, record_id: str) -> list[dict[str, Any]]:
    return repo.history(graph, lifecycle(kind).label, record_id)
