"""Lab staff review the purposes organisations declare for citizens' data: approve a proposed
version (citizens may then consent to it) or retire one. The same services as GraphQL's
``approvePurpose`` and ``retirePurpose``; a stale version is shown as a conflict, the record as
it is now beside it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from civicgraph.console.forms import act, integer
from civicgraph.console.shell import graph, principal, signed_in
from civicgraph.core.access import LAB_WRITE, STAFF
from civicgraph.identity.service import purposes


def _page(failure: dict[str, Any] | None = None) -> str:
    return render_template("console/staff_purposes.html",
                           purposes=purposes.for_review(graph(), principal()), failure=failure)


@signed_in(STAFF, scope=LAB_WRITE)
def review() -> ResponseReturnValue:
    return _page()


@signed_in(STAFF, scope=LAB_WRITE)
def approve(purpose_id: str) -> ResponseReturnValue:
    return act(lambda: purposes.approve(graph(), principal(), purpose_id, integer("version")),
               gettext("The purpose is approved: citizens can now consent to it."),
               _page, "console.purposes_review", f"purpose-{purpose_id}")


@signed_in(STAFF, scope=LAB_WRITE)
def retire(purpose_id: str) -> ResponseReturnValue:
    return act(lambda: purposes.retire(graph(), principal(), purpose_id, integer("version")),
               gettext("The purpose is retired: no new consents; those given stay until they "
                       "end."), _page, "console.purposes_review", f"purpose-{purpose_id}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff/purposes", "purposes_review", review)
    bp.add_url_rule("/staff/purposes/<purpose_id>/approve", "approve_purpose", approve,
                    methods=["POST"])
    bp.add_url_rule("/staff/purposes/<purpose_id>/retire", "retire_purpose", retire,
                    methods=["POST"])
