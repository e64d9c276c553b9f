"""A challenge's board for staff: proposals with their moves, the panel, results and history.

Rendered by the board's own page and again, with the failure kept, by every form on it and by the
pilot start that begins on it."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from civicgraph.console.shell import actor, graph
from civicgraph.core.errors import NotFound
from civicgraph.lab.pages.present import exclusion, missing_by_proposal
from civicgraph.lab.service import challenges, evaluation, machine, webhooks
from civicgraph.lab.service import proposals as proposal_service
from civicgraph.lab.service.lifecycles import CHALLENGE, PROPOSAL


def render_board(challenge_id: str, failure: dict[str, Any] | None = None) -> str:
    g, who = graph(), actor()
    try:
        challenge = challenges.get(g, challenge_id)
    except NotFound:
        abort(404)
    proposals = proposal_service.for_challenge(g, challenge_id)
    for proposal in proposals:
        proposal["moves"] = machine.allowed_moves(g, PROPOSAL.kind, proposal["id"], who)
        proposal["pilot"] = proposal["status"] in PROPOSAL.sets["pilotable"]
    results = evaluation.results(g, challenge_id)
    return render_template(
        "console/staff_challenge.html", challenge=challenge, proposals=proposals,
        editable=challenge["status"] in CHALLENGE.sets["editable"],
        panel=_readable(evaluation.panel(g, who, challenge_id)), results=results,
        missing=missing_by_proposal(results["missingScores"], results["criteria"]),
        moves=machine.allowed_moves(g, CHALLENGE.kind, challenge_id, who),
        history=machine.history(g, CHALLENGE.kind, challenge_id), failure=failure,
        outbox=webhooks.outbox_for(g, challenge_id))


def _readable(panel: dict[str, Any]) -> dict[str, Any]:
    """The panel with each exclusion's reason in the reader's language (the board shows it)."""
    return {**panel, "exclusions": [
        {**e, "excluded": [{**t, "reason": exclusion(t)} for t in e["excluded"]]}
        for e in panel["exclusions"]]}
