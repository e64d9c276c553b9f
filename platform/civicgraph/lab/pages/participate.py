"""Taking part from the console: anyone signed in sends an idea (seeing first the similar ones
they may see) and follows what became of the ideas they sent; a member of an organisation
answers an open challenge with a proposal for it, edits it until the deadline, sends or
withdraws it, and follows the decisions and their reasons.

The scope asked is the API's own for ``submitIdea`` (``lab.policy``), so the page and the
mutation let in the same people: citizens, participants, experts, partners' members and staff.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.compiler.visibility import Visibility
from civicgraph.console.forms import act, integer
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import ROLE_SCOPES, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import NotFound
from civicgraph.lab.policy import scope_of
from civicgraph.lab.service import challenges, ideas, machine, proposals
from civicgraph.lab.service.lifecycles import CHALLENGE, IDEA, PROPOSAL

ANYONE = frozenset(ROLE_SCOPES)
"""Every role a person may hold: sending ideas is open to all of them."""
SUBMIT_SCOPE = scope_of("Mutation.submitIdea")
PROPOSE_SCOPE = scope_of("Mutation.createProposal")


def _reader(who: Actor) -> Visibility:
    """What the person may see of other ideas (the Idea guard: lab staff see them all)."""
    return Visibility(staff=who.has_any(STAFF), person_id=who.id)


def _form_page(failure: dict[str, Any] | None = None,
               similar: list[dict[str, Any]] | None = None, checked: bool = False) -> str:
    return render_template("console/idea_new.html", failure=failure, similar=similar or [],
                           checked=checked, values=request.form, statuses=IDEA.statuses)


@signed_in(ANYONE, scope=SUBMIT_SCOPE)
def new_idea() -> ResponseReturnValue:
    if request.method == "GET":
        return _form_page()
    g, who, form = graph(), actor(), request.form
    if form.get("action") == "check":
        # Before sending: the ideas most like this one that the person may see.
        title, description = form.get("title", ""), form.get("description", "")
        similar = ideas.likely_duplicates(g, title, description, _reader(who))
        return _form_page(similar=similar, checked=True)
    return act(lambda: ideas.submit(g, who, title=form.get("title"),
                                    description=form.get("description"), reader=_reader(who)),
               "Your idea is sent to the lab. You can follow it here.", _form_page,
               "console.my_ideas", "idea")


@signed_in(ANYONE, scope=SUBMIT_SCOPE)
def my_ideas() -> ResponseReturnValue:
    return render_template("console/my_ideas.html", ideas=ideas.mine(graph(), actor()),
                           statuses=IDEA.statuses)


def _challenge(challenge_id: str) -> dict[str, Any]:
    try:
        return challenges.readable(graph(), challenge_id, actor())
    except NotFound:
        abort(404)


def _propose_page(challenge_id: str, failure: dict[str, Any] | None = None) -> str:
    challenge = _challenge(challenge_id)
    return render_template(
        "console/propose.html", challenge=challenge, failure=failure,
        organisation=proposals.acting_organisation(graph(), actor()),
        open=challenge["status"] in CHALLENGE.sets["taking_proposals"])


@signed_in(ANYONE, scope=PROPOSE_SCOPE)
def propose(challenge_id: str) -> ResponseReturnValue:
    """A proposal for the person's organisation: kept as a draft, or sent at once."""
    if request.method == "GET":
        return _propose_page(challenge_id)
    g, who, form = graph(), actor(), request.form
    sent = form.get("action") == "send"

    def work() -> Any:
        made = proposals.create(g, who, challenge_id=challenge_id, title=form.get("title"),
                                summary=form.get("summary"))
        # Sent at once: the draft and its sending are one transaction, so a refused sending
        # (the deadline passed meanwhile) leaves no draft behind to be made twice.
        return proposals.advance(g, who, made["id"], "SUBMITTED", made["version"]) \
            if sent else made

    return act(lambda: g.write_transaction(work),
               "Your proposal is sent." if sent else "Your proposal is saved as a draft.",
               lambda failure=None: _propose_page(challenge_id, failure), "console.my_proposals",
               "propose")


def _mine_page(failure: dict[str, Any] | None = None) -> str:
    g, who = graph(), actor()
    mine = proposals.mine(g, who)
    for proposal in mine:
        proposal["moves"] = machine.allowed_moves(g, PROPOSAL.kind, proposal["id"], who)
        proposal["editable"] = (proposal["status"] in PROPOSAL.sets["editable"]
                                and proposal["challenge"]["status"]
                                in CHALLENGE.sets["taking_proposals"])
    return render_template("console/my_proposals.html", proposals=mine, failure=failure,
                           statuses=PROPOSAL.statuses,
                           organisation=proposals.acting_organisation(g, who))


@signed_in(ANYONE, scope=PROPOSE_SCOPE)
def my_proposals() -> ResponseReturnValue:
    return _mine_page()


@signed_in(ANYONE, scope=PROPOSE_SCOPE)
def move_proposal(proposal_id: str) -> ResponseReturnValue:
    form = request.form
    return act(lambda: proposals.advance(graph(), actor(), proposal_id, form.get("to", ""),
                                         integer("version"), form.get("reason") or None),
               "Your proposal is updated.", _mine_page, "console.my_proposals",
               f"proposal-{proposal_id}")


@signed_in(ANYONE, scope=PROPOSE_SCOPE)
def edit_proposal(proposal_id: str) -> ResponseReturnValue:
    form = request.form
    return act(lambda: proposals.update(graph(), actor(), proposal_id, integer("version"),
                                        title=form.get("title"), summary=form.get("summary")),
               "Your proposal is saved.", _mine_page, "console.my_proposals",
               f"proposal-{proposal_id}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/challenges/<challenge_id>/propose", "propose", propose,
                    methods=["GET", "POST"])
    bp.add_url_rule("/my/proposals", "my_proposals", my_proposals)
    bp.add_url_rule("/my/proposals/<proposal_id>/move", "move_my_proposal", move_proposal,
                    methods=["POST"])
    bp.add_url_rule("/my/proposals/<proposal_id>/edit", "edit_my_proposal", edit_proposal,
                    methods=["POST"])
    bp.add_url_rule("/ideas/new", "new_idea", new_idea, methods=["GET", "POST"])
    bp.add_url_rule("/my/ideas", "my_ideas", my_ideas)
