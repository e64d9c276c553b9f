"""Pages anyone may read: open challenges, pilots with their outcomes and timeline."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from civicgraph.console.shell import actor, graph
from civicgraph.core.errors import NotFound
from civicgraph.lab.pages.present import pilot_view
from civicgraph.lab.service import challenges, machine, pilots
from civicgraph.lab.service.lifecycles import CHALLENGE


def home() -> ResponseReturnValue:
    g = graph()
    return render_template(
        "console/home.html",
        challenges=[c for status in CHALLENGE.sets["taking_proposals"]
                    for c in challenges.public_list(g, status)],
        evaluated=[c for status in CHALLENGE.sets["evaluated"]
                   for c in challenges.public_list(g, status)],
        pilots=[pilot_view(p) for p in pilots.list_recent(g)])


def challenge(challenge_id: str) -> ResponseReturnValue:
    try:
        found = challenges.readable(graph(), challenge_id, actor())
    except NotFound:
        abort(404)
    return render_template("console/challenge.html", challenge=found,
                           history=machine.history(graph(), CHALLENGE.kind, challenge_id))


def pilot(pilot_id: str) -> ResponseReturnValue:
    try:
        found = pilots.get(graph(), pilot_id)
    except NotFound:
        abort(404)
    return render_template("console/pilot.html", pilot=pilot_view(found),
                           history=machine.history(graph(), "PILOT", pilot_id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("", "home", home)
    bp.add_url_rule("/challenges/<challenge_id>", "challenge", challenge)
    bp.add_url_rule("/pilots/<pilot_id>", "pilot", pilot)
