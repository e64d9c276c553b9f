"""Lab staff on a pilot: start it, outcome measures, measurements, the stage gate, advance."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act, integer, number, refused
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import LAB_WRITE, STAFF
from civicgraph.core.errors import DomainError, NotFound
from civicgraph.lab.pages.present import pilot_view
from civicgraph.lab.service import machine, pilots, webhooks
from civicgraph.lab.service.lifecycles import PILOT

# The five single-choice variables of the operating model (``involved`` is a multiple choice).
MODEL_CHOICES = (("relationship", "relationship", pilots.RELATIONSHIPS),
                 ("ownership", "ownership", pilots.OWNERSHIP),
                 ("fundingMethod", "funding_method", pilots.FUNDING),
                 ("powerSits", "power_sits", pilots.POWER),
                 ("publicRole", "public_role", pilots.PUBLIC_ROLES))


def _page(pilot_id: str, failure: dict[str, Any] | None = None) -> str:
    g, who = graph(), actor()
    try:
        pilot = pilot_view(pilots.get(g, pilot_id))
    except NotFound:
        abort(404)
    stage = pilots.next_stage(pilot["status"])
    gate = pilots.gate(g, pilot_id, stage) if stage else None
    return render_template(
        "console/staff_pilot.html", pilot=pilot, stage=stage, gate=gate,
        moves=machine.allowed_moves(g, PILOT.kind, pilot_id, who),
        history=machine.history(g, PILOT.kind, pilot_id), failure=failure,
        choices=MODEL_CHOICES, involved=pilots.INVOLVED, outbox=webhooks.outbox_for(g, pilot_id))


@signed_in(STAFF, scope=LAB_WRITE)
def page(pilot_id: str) -> ResponseReturnValue:
    return _page(pilot_id)


@signed_in(STAFF, scope=LAB_WRITE)
def start(challenge_id: str, proposal_id: str) -> ResponseReturnValue:
    try:
        pilot = pilots.start(graph(), actor(), proposal_id,
                             title=request.form.get("title") or None)
    except DomainError as error:
        return refused(error, f"pilot-{proposal_id}", "console.board",
                       challenge_id=challenge_id)
    return redirect(url_for("console.staff_pilot", pilot_id=pilot["id"]))


def _pilot_action(pilot_id: str, form: str, message: str, run: Any) -> ResponseReturnValue:
    return act(run, message, lambda failure: _page(pilot_id, failure), "console.staff_pilot",
               form, pilot_id=pilot_id)


@signed_in(STAFF, scope=LAB_WRITE)
def add_measure(pilot_id: str) -> ResponseReturnValue:
    form = request.form

    def run() -> Any:
        every = number("every_days")
        return pilots.add_measure(
            graph(), actor(), pilot_id, name=form.get("name"), unit=form.get("unit"),
            target=number("target"), direction=form.get("direction", ""),  # type: ignore[arg-type]
            baseline=number("baseline"), every_days=int(every) if every else None)

    return _pilot_action(pilot_id, "measure", "Outcome measure added.", run)


@signed_in(STAFF, scope=LAB_WRITE)
def record(pilot_id: str, measure_id: str) -> ResponseReturnValue:
    baseline = request.form.get("kind") == "baseline"

    def run() -> None:
        value = number("value")
        if baseline:
            pilots.set_baseline(graph(), actor(), measure_id, value)  # type: ignore[arg-type]
        else:
            pilots.record_measurement(graph(), actor(), measure_id, value,  # type: ignore[arg-type]
                                      request.form.get("measured_at") or None)

    return _pilot_action(pilot_id, f"measure-{measure_id}",
                         "Baseline set." if baseline else "Measurement recorded.", run)


@signed_in(STAFF, scope=LAB_WRITE)
def sign_off(pilot_id: str) -> ResponseReturnValue:
    return _pilot_action(pilot_id, "gate", "Signed off.", lambda: pilots.sign_off(
        graph(), actor(), pilot_id, request.form.get("stage", "")))


@signed_in(STAFF, scope=LAB_WRITE)
def move(pilot_id: str) -> ResponseReturnValue:
    return _pilot_action(pilot_id, "gate", "Pilot moved.", lambda: pilots.advance(
        graph(), actor(), pilot_id, request.form.get("to", ""), integer("version"),
        request.form.get("reason")))


@signed_in(STAFF, scope=LAB_WRITE)
def operating_model(pilot_id: str) -> ResponseReturnValue:
    form = request.form
    return _pilot_action(pilot_id, "model", "Operating model saved.", lambda: (
        pilots.set_operating_model(
            graph(), actor(), pilot_id, integer("version"), involved=form.getlist("involved"),
            **{name: form.get(name, "") for _, name, _ in MODEL_CHOICES})))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff/pilots/<pilot_id>/model", "operating_model", operating_model,
                    methods=["POST"])
    bp.add_url_rule("/staff/pilots/<pilot_id>", "staff_pilot", page)
    bp.add_url_rule("/staff/challenges/<challenge_id>/proposals/<proposal_id>/pilot",
                    "start_pilot", start, methods=["POST"])
    bp.add_url_rule("/staff/pilots/<pilot_id>/measures", "add_measure", add_measure,
                    methods=["POST"])
    bp.add_url_rule("/staff/pilots/<pilot_id>/measures/<measure_id>", "record", record,
                    methods=["POST"])
    bp.add_url_rule("/staff/pilots/<pilot_id>/sign-off", "sign_off", sign_off, methods=["POST"])
    bp.add_url_rule("/staff/pilots/<pilot_id>/move", "move_pilot", move, methods=["POST"])
