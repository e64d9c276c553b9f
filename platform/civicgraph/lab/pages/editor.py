"""Lab staff write a challenge from scratch, and edit one: fields, eligibility, rubric with
weights, deadline.

A stale edit (someone saved the challenge since the form was read) is shown with both versions
side by side and the person's input kept in the form, so they can merge by hand.

The deadline is a date and a time in UTC (a ``datetime-local`` field, labelled so): shown as
stored (to the second), it comes back as stored, so a save that changes nothing keeps it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act, integer
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core import clock
from civicgraph.core.access import LAB_WRITE, STAFF
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.lab.service import challenges
from civicgraph.lab.service.lifecycles import CHALLENGE


def rubric_text(criteria: list[dict[str, Any]]) -> str:
    return "\n".join(f"{k['name']}: {k['weight']:g}" for k in criteria)


def parse_rubric(raw: str) -> list[dict[str, Any]]:
    """One criterion a line, ``name: weight``; the service checks names and weights."""
    criteria = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        name, _, weight = line.rpartition(":")
        try:
            criteria.append({"name": name.strip(), "weight": float(weight)})
        except ValueError as exc:
            raise BadInput(f"line {number}: write a criterion as 'name: weight'",
                           field="criteria") from exc
    return criteria


def deadline_field(deadline: str | None) -> str:
    """The stored deadline as the field shows it, in UTC: to the minute, or to the second when
    it has seconds (the field then takes seconds too, so the value goes back unchanged)."""
    if not deadline:
        return ""
    moment = clock.parse(deadline, "deadline")
    return moment.strftime("%Y-%m-%dT%H:%M:%S" if moment.second else "%Y-%m-%dT%H:%M")


def parse_deadline(raw: str) -> str | None:
    """The field's date and time, read as UTC (what the label says); a zone given is kept."""
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw) if "T" in raw else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadInput("write the deadline as a date and a time in UTC, e.g. 2027-01-31T17:00",
                       field="deadline")
    return clock.iso(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))


def _page(challenge_id: str, failure: dict[str, Any] | None = None) -> str:
    try:
        challenge = challenges.get(graph(), challenge_id)
    except NotFound:
        abort(404)
    return render_template("console/staff_edit.html", challenge=challenge, failure=failure,
                           rubric=rubric_text(challenge["criteria"]),
                           deadline=deadline_field(challenge["deadline"]),
                           rubric_editable=challenge["status"] in CHALLENGE.sets["rubric_editable"],
                           field_codes=", ".join(f["code"] for f in challenge["fields"]))


@signed_in(STAFF, scope=LAB_WRITE)
def edit(challenge_id: str) -> ResponseReturnValue:
    return _page(challenge_id)


@signed_in(STAFF, scope=LAB_WRITE)
def save(challenge_id: str) -> ResponseReturnValue:
    form = request.form

    def run() -> Any:
        codes = [c.strip() for c in form.get("fields", "").split(",") if c.strip()]
        rubric = form.get("criteria")
        return challenges.update(
            graph(), actor(), challenge_id, integer("version"),
            description=form.get("description"), eligibility=form.get("eligibility"),
            deadline=parse_deadline(form.get("deadline", "").strip()), field_codes=codes,
            criteria=parse_rubric(rubric) if rubric is not None else None)

    return act(run, "Challenge saved.", lambda failure: _page(challenge_id, failure),
               "console.board", "edit", challenge_id=challenge_id)


def _new_page(failure: dict[str, Any] | None = None) -> str:
    return render_template("console/staff_new_challenge.html", failure=failure)


@signed_in(STAFF, scope=LAB_WRITE)
def new() -> ResponseReturnValue:
    """A new challenge, as a draft that only staff see until they open it from its board."""
    if request.method == "GET":
        return _new_page()
    form, made = request.form, {}

    def run() -> Any:
        codes = [c.strip() for c in form.get("fields", "").split(",") if c.strip()]
        made.update(challenges.create(
            graph(), actor(), title=form.get("title"), description=form.get("description"),
            eligibility=form.get("eligibility") or None,
            deadline=parse_deadline(form.get("deadline", "").strip()), field_codes=codes,
            criteria=parse_rubric(form.get("criteria", ""))))
        return made

    answer = act(run, "The challenge is saved as a draft: open it when it is ready.", _new_page,
                 "console.dashboard", "new")
    return redirect(url_for("console.board", challenge_id=made["id"])) if made else answer


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff/challenges/new", "new_challenge", new, methods=["GET", "POST"])
    bp.add_url_rule("/staff/challenges/<challenge_id>/edit", "edit_challenge", edit)
    bp.add_url_rule("/staff/challenges/<challenge_id>/edit", "save_challenge", save,
                    methods=["POST"])
