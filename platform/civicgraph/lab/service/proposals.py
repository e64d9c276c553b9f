"""Proposals from organisations or teams: editable until the challenge's deadline, withdrawable."""

from __future__ import annotations

import uuid
from typing import Any

from civicgraph.core import clock
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import challenges as challenge_repo
from civicgraph.lab.cypher import proposals as repo
from civicgraph.lab.service import machine
from civicgraph.lab.service.lifecycles import CHALLENGE, PROPOSAL
from civicgraph.lab.service.validation import page_size, require_signed_in, text

# What decides whether a challenge takes proposals, and which proposals its proposer may edit.
WINDOW = CHALLENGE.params("taking_proposals")
TEAM_MEMBER = "member"
TEAM_ROLES = {TEAM_MEMBER: "Proposes with the team"}
"""The roles in a proposing team: every member ``create_team`` adds is a ``member``."""
EDITABLE = PROPOSAL.params("editable")


def require_window(graph: Graph, challenge_id: str) -> None:
    """Refuse, saying why, unless the challenge takes proposals now (the rule drafting,
    editing and submitting apply in their own statements)."""
    window = challenge_repo.proposal_window(graph, challenge_id, clock.iso(), WINDOW)
    if window is None:
        raise NotFound(f"no challenge with id {challenge_id}", field="challengeId")
    if not window["taking"]:
        raise BadInput(
            f"the challenge is {window['status']} with deadline {window['deadline']}: it takes "
            f"proposals only while {CHALLENGE.words('taking_proposals')} and before its deadline",
            field="challengeId")


def create_team(graph: Graph, actor: Actor, *, name: str | None,
                member_ids: list[str]) -> dict[str, Any]:
    """A team of people (the creator included) that may send proposals as one proposer."""
    require_signed_in(actor)
    members = sorted({actor.id, *member_ids})
    team = repo.create_team(graph, {"id": str(uuid.uuid4()), "name": text("Team", "name", name),
                                    "memberIds": members, "role": TEAM_MEMBER,
                                    "at": clock.iso()})
    missing = sorted(set(members) - set(team["members"]))
    if missing:
        raise BadInput(f"no person with id {', '.join(missing)}", field="memberIds")
    return team


def create(graph: Graph, actor: Actor, *, challenge_id: str, title: str | None,
           summary: str | None, team_id: str | None = None) -> dict[str, Any]:
    """A draft for the actor's organisation, or for a team the actor belongs to."""
    require_signed_in(actor)
    if team_id is not None:
        if not repo.is_team_member(graph, team_id, actor.id):
            raise Forbidden("you may propose for a team you are a member of only")
        owner = team_id
    elif actor.organisation_id is not None:
        owner = actor.organisation_id
    else:
        raise BadInput("a proposal comes from an organisation or a team: name a team",
                       field="teamId")
    fields = {"id": str(uuid.uuid4()), "challengeId": challenge_id, "ownerId": owner,
              "title": text("Proposal", "title", title),
              "summary": text("Proposal", "summary", summary),
              "actorId": actor.id, "at": clock.iso(), **WINDOW}
    created = repo.create(graph, fields)
    if created is None:
        require_window(graph, challenge_id)
        raise BadInput(f"no organisation or team with id {owner} in the graph to propose for",
                       field="teamId")
    return created


def mine(graph: Graph, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    """The proposals the signed-in person follows as theirs (``repo.of_person``)."""
    require_signed_in(actor)
    return repo.of_person(graph, actor.id, actor.organisation_id, page_size(limit))


def acting_organisation(graph: Graph, actor: Actor) -> dict[str, Any] | None:
    """The organisation the person proposes for, named: the one their token acts for."""
    if actor.organisation_id is None:
        return None
    name = repo.organisation_name(graph, actor.organisation_id)
    return {"id": actor.organisation_id, "name": name} if name is not None else None


def get(graph: Graph, proposal_id: str) -> dict[str, Any]:
    proposal = repo.get(graph, proposal_id)
    if proposal is None:
        raise NotFound(f"no proposal with id {proposal_id}", id=proposal_id)
    return proposal


def for_challenge(graph: Graph, challenge_id: str) -> list[dict[str, Any]]:
    return repo.for_challenge(graph, challenge_id, PROPOSAL.params("sent"))


def update(graph: Graph, actor: Actor, proposal_id: str, version: int, *,
           title: str | None = None, summary: str | None = None) -> dict[str, Any]:
    if not machine.owns(graph, PROPOSAL.kind, proposal_id, actor):
        raise Forbidden("only the proposer may edit a proposal")
    updated = repo.update(graph, {
        "id": proposal_id, "version": version, "at": clock.iso(),
        "title": text("Proposal", "title", title) if title is not None else None,
        "summary": text("Proposal", "summary", summary) if summary is not None else None,
        **WINDOW, **EDITABLE,
    })
    if updated is None:
        state = repo.edit_state(graph, proposal_id) or {}
        if state.get("version") != version:
            raise Conflict(f"the proposal is at version {state.get('version')}, not {version}",
                           currentVersion=state.get("version"))
        raise BadInput(
            f"the proposal is {state.get('status')} and its challenge is "
            f"{state.get('challengeStatus')} (deadline {state.get('deadline')}): it can no "
            "longer be edited", field="id")
    return updated


def advance(graph: Graph, actor: Actor, proposal_id: str, to: str, version: int,
            reason: str | None = None) -> dict[str, Any]:
    """submit, shortlist, select, reject or withdraw, as the proposal lifecycle allows."""
    return machine.advance(graph, PROPOSAL.kind, proposal_id, to, actor, version, reason)
