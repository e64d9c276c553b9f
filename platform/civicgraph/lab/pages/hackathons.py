"""A hackathon's page: anyone reads its dates, rules, kits, teams, projects and, once decided,
its winners; a signed-in person registers, forms or joins a team and sends or edits the team's
project on the same page. Staff set hackathons up on their own page.

The scopes asked are the API's own (``lab.policy``), so the page and the mutations let in the
same people."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act, integer
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import LAB_WRITE, ROLE_SCOPES, STAFF
from civicgraph.core.errors import NotFound
from civicgraph.lab.pages.sessions import _utc
from civicgraph.lab.policy import scope_of
from civicgraph.lab.service import hackathons, sessions

ANYONE = frozenset(ROLE_SCOPES)
_REGISTER = scope_of("Mutation.joinLabSession")
_TEAM = scope_of("Mutation.formHackathonTeam")
_PROJECT = scope_of("Mutation.submitHackathonProject")


def _page(hackathon_id: str, failure: dict[str, Any] | None = None) -> str:
    who = actor()
    try:
        found = hackathons.get(graph(), hackathon_id, who)
    except NotFound:
        abort(404)
    return render_template("console/hackathon.html", h=found, failure=failure,
                           can_judge=who.has_any(STAFF))


def page(hackathon_id: str) -> ResponseReturnValue:
    return _page(hackathon_id)


def listing() -> ResponseReturnValue:
    return render_template("console/hackathons.html", hackathons=hackathons.listing(graph()),
                           can_create=actor().has_any(STAFF))


def _back(hackathon_id: str) -> Any:
    return lambda failure=None: _page(hackathon_id, failure)


@signed_in(ANYONE, scope=_REGISTER)
def register_for(hackathon_id: str) -> ResponseReturnValue:
    return act(lambda: sessions.join(graph(), actor(), hackathon_id),
               "You are registered. Form a team or join one.", _back(hackathon_id),
               "console.hackathon", "register", hackathon_id=hackathon_id)


@signed_in(ANYONE, scope=_TEAM)
def form_team(hackathon_id: str) -> ResponseReturnValue:
    return act(lambda: hackathons.form_team(graph(), actor(), hackathon_id,
                                            request.form.get("name")),
               "Your team is formed.", _back(hackathon_id), "console.hackathon", "team",
               hackathon_id=hackathon_id)


@signed_in(ANYONE, scope=_TEAM)
def join_team(hackathon_id: str, team_id: str) -> ResponseReturnValue:
    return act(lambda: hackathons.join_team(graph(), actor(), team_id),
               "You joined the team.", _back(hackathon_id), "console.hackathon",
               f"join-{team_id}", hackathon_id=hackathon_id)


@signed_in(ANYONE, scope=_PROJECT)
def project(hackathon_id: str) -> ResponseReturnValue:
    """Send the team's project, or save the edit of the one it sent."""
    form, g, who = request.form, graph(), actor()
    kits = form.getlist("kits")

    def work() -> Any:
        if form.get("proposalId"):
            return hackathons.update_project(
                g, who, form["proposalId"], integer("version"), title=form.get("title"),
                summary=form.get("summary"), repository_url=form.get("repositoryUrl", ""),
                demo_url=form.get("demoUrl", ""), kit_names=kits)
        return hackathons.submit_project(
            g, who, team_id=form.get("teamId", ""), title=form.get("title"),
            summary=form.get("summary"), repository_url=form.get("repositoryUrl"),
            demo_url=form.get("demoUrl"), kit_names=kits)

    return act(work, "Your project is saved." if form.get("proposalId")
               else "Your project is sent.", _back(hackathon_id), "console.hackathon",
               "project", hackathon_id=hackathon_id)


def _new_page(failure: dict[str, Any] | None = None) -> str:
    return render_template("console/staff_hackathon_new.html", failure=failure,
                           fields=sessions.field_choices(graph()),
                           kits=hackathons.kit_choices(graph()))


@signed_in(STAFF, scope=LAB_WRITE)
def new() -> ResponseReturnValue:
    if request.method == "GET":
        return _new_page()
    form = request.form

    def create() -> Any:
        capacity = form.get("capacity", "").strip()
        return hackathons.create(
            graph(), actor(), title=form.get("title"), description=form.get("description"),
            rules=form.get("rules"), starts_at=_utc(form.get("startsAt")),
            ends_at=_utc(form.get("endsAt")),
            submission_deadline=_utc(form.get("submissionDeadline")),
            field_codes=form.getlist("fields"), kit_names=form.getlist("kits"),
            location=form.get("location") or None,
            capacity=int(capacity) if capacity.isdigit() else None)
    return act(create, "The hackathon is set up and open for projects.", _new_page,
               "console.hackathons", "hackathon")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/hackathons", "hackathons", listing)
    bp.add_url_rule("/hackathons/<hackathon_id>", "hackathon", page)
    bp.add_url_rule("/hackathons/<hackathon_id>/register", "hackathon_register", register_for,
                    methods=["POST"])
    bp.add_url_rule("/hackathons/<hackathon_id>/teams", "hackathon_form_team", form_team,
                    methods=["POST"])
    bp.add_url_rule("/hackathons/<hackathon_id>/teams/<team_id>/join", "hackathon_join_team",
                    join_team, methods=["POST"])
    bp.add_url_rule("/hackathons/<hackathon_id>/project", "hackathon_project", project,
                    methods=["POST"])
    bp.add_url_rule("/staff/hackathons/new", "hackathon_new", new, methods=["GET", "POST"])
