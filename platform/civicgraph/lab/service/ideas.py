"""Ideas: anyone signed in submits one; staff review it into a challenge, a proposal, a decline
or a merge. Likely duplicates are shown at submission, found by full-text similarity."""

from __future__ import annotations

import re
import uuid
from typing import Any

from civicgraph.compiler.visibility import PUBLIC, Visibility
from civicgraph.core import clock
from civicgraph.core.access import STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import ideas as repo
from civicgraph.lab.service import machine, proposals
from civicgraph.lab.service.lifecycles import IDEA
from civicgraph.lab.service.validation import page_size, require_signed_in, text

# Staff of the agency (lab staff, administrators) count as inside; everyone else as outside.
DUPLICATES_SHOWN = 5
# What staff accept an idea into.
ACCEPTED_INTO = {
    "CHALLENGE": "A new draft challenge with the idea's title and description",
    "PROPOSAL": "A draft proposal to a challenge that takes proposals",
}
_WORD = re.compile(r"[^\W_]{3,}")


ORIGINS = {
    "INTERNAL": "Sent by the lab's own staff",
    "EXTERNAL": "Sent by someone outside the lab: a partner or a citizen",
}


def origin_of(actor: Actor) -> str:
    return "INTERNAL" if actor.has_any(STAFF) else "EXTERNAL"


def lucene_terms(*texts: str, limit: int = 40) -> str:
    """Plain words only, lower-cased: no Lucene syntax from the user reaches the index."""
    words: list[str] = []
    for value in texts:
        for word in _WORD.findall(value.lower()):
            if word not in words:
                words.append(word)
    return " ".join(words[:limit])


def likely_duplicates(graph: Graph, title: str, description: str,
                      reader: Visibility = PUBLIC) -> list[dict[str, Any]]:
    """The ideas most like this text that ``reader`` may see (Idea's guard: lab staff); the
    public, the default, sees none."""
    query = lucene_terms(title, title, description)
    return repo.similar(graph, query, DUPLICATES_SHOWN, reader) if query else []


def submit(graph: Graph, actor: Actor, *, title: str | None, description: str | None,
           reader: Visibility = PUBLIC) -> dict[str, Any]:
    """A new idea, with the likely duplicates of it that ``reader`` (the caller, as the
    compiled reads see them) may see."""
    require_signed_in(actor)
    clean_title = text("Idea", "title", title)
    clean_description = text("Idea", "description", description)
    fields = {
        "id": str(uuid.uuid4()), "title": clean_title, "description": clean_description,
        "origin": origin_of(actor), "actorId": actor.id,
        "organisationId": actor.organisation_id, "at": clock.iso(),
    }

    def work() -> dict[str, Any]:
        # Searched before the new idea exists, so it never lists itself.
        duplicates = likely_duplicates(graph, clean_title, clean_description, reader)
        return {"idea": repo.create(graph, fields), "likelyDuplicates": duplicates}

    return graph.write_transaction(work)


def get(graph: Graph, idea_id: str) -> dict[str, Any]:
    idea = repo.get(graph, idea_id)
    if idea is None:
        raise NotFound(f"no idea with id {idea_id}", id=idea_id)
    return idea


def mine(graph: Graph, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    """The ideas the signed-in person sent, with what became of each and why: the submitter
    follows their own ideas, which the Idea guard keeps from everyone else but staff."""
    require_signed_in(actor)
    return repo.submitted_by(graph, actor.id, page_size(limit))


def list_ideas(graph: Graph, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    return repo.list_all(graph, status, page_size(limit))


def start_review(graph: Graph, actor: Actor, idea_id: str, version: int) -> dict[str, Any]:
    return machine.advance(graph, IDEA.kind, idea_id, "IN_REVIEW", actor, version)


def accept(graph: Graph, actor: Actor, idea_id: str, version: int, *, into: str,
           reason: str | None, challenge_id: str | None = None) -> dict[str, Any]:
    """Accept an idea as a new draft challenge, or as a draft proposal to a challenge that takes
    proposals (the rule a proposer's own draft meets)."""
    if into == "CHALLENGE":
        params: dict[str, Any] = {"challengeId": str(uuid.uuid4())}
        moved = machine.advance(graph, IDEA.kind, idea_id, "ACCEPTED", actor, version, reason,
                                effect="idea_to_challenge", effect_params=params)
        return {**moved, "challengeId": params["challengeId"]}
    if into != "PROPOSAL":
        raise BadInput(f"into must be {' or '.join(ACCEPTED_INTO)}", field="into")
    proposals.require_window(graph, challenge_id or "")
    params = {"challengeId": challenge_id, "proposalId": str(uuid.uuid4())}
    moved = machine.advance(graph, IDEA.kind, idea_id, "ACCEPTED", actor, version, reason,
                            effect="idea_to_proposal", effect_params=params)
    return {**moved, "proposalId": params["proposalId"]}


def decline(graph: Graph, actor: Actor, idea_id: str, version: int,
            reason: str | None) -> dict[str, Any]:
    return machine.advance(graph, IDEA.kind, idea_id, "DECLINED", actor, version, reason)


def merge(graph: Graph, actor: Actor, idea_id: str, version: int, *, into_idea_id: str,
          reason: str | None) -> dict[str, Any]:
    if into_idea_id == idea_id:
        raise BadInput("an idea cannot be merged into itself", field="intoIdeaId")
    target = repo.get(graph, into_idea_id)
    if target is None:
        raise NotFound(f"no idea with id {into_idea_id}", field="intoIdeaId")
    if target["status"] not in IDEA.sets["merge_targets"]:
        raise BadInput(f"the idea to merge into is {target['status']}", field="intoIdeaId")
    return machine.advance(graph, IDEA.kind, idea_id, "MERGED", actor, version, reason,
                           effect="idea_merge", effect_params={"targetId": into_idea_id})
