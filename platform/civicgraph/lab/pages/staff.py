"""Lab staff: the figures, the idea inbox and the evaluation board of a challenge."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from civicgraph.compiler.visibility import Visibility
from civicgraph.console.forms import act, integer
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import LAB_WRITE, STAFF
from civicgraph.lab.pages.board import render_board
from civicgraph.lab.pages.present import bars
from civicgraph.lab.service import challenges, evaluation, figures, ideas, pilots
from civicgraph.lab.service import proposals as proposal_service
from civicgraph.lab.service.lifecycles import CHALLENGE, IDEA

STAFF_READER = Visibility(staff=True)
"""Who reads the staff pages' lists: lab staff (every page here is ``signed_in(STAFF)``)."""


@signed_in(STAFF, scope=LAB_WRITE)
def dashboard() -> ResponseReturnValue:
    numbers = figures.lab_figures(graph())
    c = numbers["conversion"]
    funnel = bars([("Ideas", c["ideas"]), ("Became challenges", c["ideasBecameChallenges"]),
                   ("Reached a pilot", c["ideasReachedPilot"]),
                   ("Mainstreamed", c["ideasMainstreamed"])])
    periods = bars([(p["period"], p["ideas"]) for p in numbers["ideasPerPeriod"]])
    stages: dict[str, int] = {}
    for pilot in pilots.list_recent(graph(), 200):
        stages[pilot["status"]] = stages.get(pilot["status"], 0) + 1
    return render_template("console/staff_dashboard.html", numbers=numbers, funnel=funnel,
                           periods=periods, stages=bars(sorted(stages.items())),
                           models=numbers["pilotsByOperatingModel"],
                           drafts=challenges.drafts(graph(), actor()),
                           evaluated=[c for status in CHALLENGE.sets["judging"]
                                      for c in challenges.public_list(graph(), status)])


def _inbox_page(failure: dict[str, Any] | None = None) -> str:
    g = graph()
    inbox = [i for status in IDEA.sets["inbox"] for i in ideas.list_ideas(g, status)]
    for idea in inbox:
        idea["duplicates"] = [d for d in ideas.likely_duplicates(g, idea["title"],
                                                                 idea["description"], STAFF_READER)
                              if d["id"] != idea["id"]]
        # Not yet in review: the one move offered is starting the review.
        idea["reviewable"] = IDEA.find(idea["status"], "IN_REVIEW") is not None
    return render_template("console/staff_ideas.html", ideas=inbox, failure=failure)


@signed_in(STAFF, scope=LAB_WRITE)
def inbox() -> ResponseReturnValue:
    return _inbox_page()


@signed_in(STAFF, scope=LAB_WRITE)
def idea_action(idea_id: str, action: str) -> ResponseReturnValue:
    g, who, form = graph(), actor(), request.form

    def run() -> Any:
        version, reason = integer("version"), form.get("reason")
        if action == "review":
            return ideas.start_review(g, who, idea_id, version)
        if action == "accept":
            into = form.get("into", "CHALLENGE")
            return ideas.accept(g, who, idea_id, version, into=into, reason=reason,
                                challenge_id=form.get("challenge_id") or None)
        if action == "decline":
            return ideas.decline(g, who, idea_id, version, reason)
        if action == "merge":
            return ideas.merge(g, who, idea_id, version,
                               into_idea_id=form.get("into_idea_id", ""), reason=reason)
        abort(404)

    if action == "accept":
        outcome: dict[str, Any] = {}
        response = act(lambda: outcome.update(run()), "Idea accepted: complete its challenge.",
                       _inbox_page, "console.ideas", f"idea-{idea_id}")
        if outcome.get("challengeId"):
            return redirect(url_for("console.edit_challenge",
                                    challenge_id=outcome["challengeId"]))
        return response
    return act(run, f"Idea updated ({action}).", _inbox_page, "console.ideas",
               f"idea-{idea_id}")


@signed_in(STAFF, scope=LAB_WRITE)
def board(challenge_id: str) -> ResponseReturnValue:
    return render_board(challenge_id)


@signed_in(STAFF, scope=LAB_WRITE)
def assign(challenge_id: str) -> ResponseReturnValue:
    return act(lambda: evaluation.assign_experts(graph(), actor(), challenge_id),
               "Experts in the challenge's fields are now its judges.",
               lambda failure: render_board(challenge_id, failure), "console.board", "assign",
               challenge_id=challenge_id)


@signed_in(STAFF, scope=LAB_WRITE)
def move_challenge(challenge_id: str) -> ResponseReturnValue:
    return act(lambda: challenges.advance(graph(), actor(), challenge_id,
                                          request.form.get("to", ""), integer("version"),
                                          request.form.get("reason")),
               "Challenge moved.", lambda failure: render_board(challenge_id, failure),
               "console.board", "challenge-move", challenge_id=challenge_id)


@signed_in(STAFF, scope=LAB_WRITE)
def move_proposal(challenge_id: str, proposal_id: str) -> ResponseReturnValue:
    return act(lambda: proposal_service.advance(graph(), actor(), proposal_id,
                                                request.form.get("to", ""), integer("version"),
                                                request.form.get("reason")),
               "Proposal moved.", lambda failure: render_board(challenge_id, failure),
               "console.board", f"proposal-{proposal_id}", challenge_id=challenge_id)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff", "dashboard", dashboard)
    bp.add_url_rule("/staff/ideas", "ideas", inbox)
    bp.add_url_rule("/staff/ideas/<idea_id>/<action>", "idea_action", idea_action,
                    methods=["POST"])
    bp.add_url_rule("/staff/challenges/<challenge_id>", "board", board)
    bp.add_url_rule("/staff/challenges/<challenge_id>/assign", "assign", assign,
                    methods=["POST"])
    bp.add_url_rule("/staff/challenges/<challenge_id>/move", "move_challenge", move_challenge,
                    methods=["POST"])
    bp.add_url_rule("/staff/challenges/<challenge_id>/proposals/<proposal_id>/move",
                    "move_proposal", move_proposal, methods=["POST"])
