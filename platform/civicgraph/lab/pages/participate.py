"""Taking part from the console: anyone signed in sends an idea (seeing first the similar ones
they may see) and follows what became of the ideas they sent.

The scope asked is the API's own for ``submitIdea`` (``lab.policy``), so the page and the
mutation let in the same people: citizens, participants, experts, partners' members and staff.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.compiler.visibility import Visibility
from civicgraph.console.forms import act
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import ROLE_SCOPES, STAFF
from civicgraph.core.actor import Actor
from civicgraph.lab.policy import scope_of
from civicgraph.lab.service import ideas
from civicgraph.lab.service.lifecycles import IDEA

ANYONE = frozenset(ROLE_SCOPES)
"""Every role a person may hold: sending ideas is open to all of them."""
SUBMIT_SCOPE = scope_of("Mutation.submitIdea")


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


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/ideas/new", "new_idea", new_idea, methods=["GET", "POST"])
    bp.add_url_rule("/my/ideas", "my_ideas", my_ideas)
