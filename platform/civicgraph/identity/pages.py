"""Citizens: give a consent, see the consents they gave (withdraw one) and who read their data,
in plain words. Granting calls the same service as GraphQL's ``grantConsent``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act
from civicgraph.console.shell import graph, principal, signed_in
from civicgraph.core.access import CITIZEN, CONSENT_READ, CONSENT_WRITE
from civicgraph.core.errors import BadInput
from civicgraph.identity.service import consent
from civicgraph.partner_graph.service import organisations

# No routes: it carries identity's template folder (citizen page, sign-in failure) onto the app.
templates = Blueprint("identity_pages", __name__, template_folder="templates")


def _page(failure: dict[str, Any] | None = None) -> str:
    who = principal()
    choices = organisations.choices(graph(), who)
    return render_template("console/citizen.html", consents=consent.my_consents(graph(), who),
                           log=consent.my_access_log(graph(), who, 50), failure=failure,
                           organisations=choices, categories=consent.CATEGORIES)


def _expiry() -> dt.datetime | None:
    raw = request.form.get("expiresOn", "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(23, 59), dt.UTC)
    except ValueError as exc:
        raise BadInput("the end date is not a date (YYYY-MM-DD)", field="expiresAt") from exc


@signed_in(frozenset({CITIZEN}), scope=CONSENT_WRITE)
def grant() -> ResponseReturnValue:
    return act(lambda: consent.grant(
        graph(), principal(), organisation_id=request.form.get("organisationId", ""),
        purpose=request.form.get("purpose", ""), categories=request.form.getlist("categories"),
        expires_at=_expiry()),
        "Your consent is recorded: you can withdraw it here at any time.", _page,
        "console.my_data", "grant")


@signed_in(frozenset({CITIZEN}), scope=CONSENT_READ)
def page() -> ResponseReturnValue:
    return _page()


@signed_in(frozenset({CITIZEN}), scope=CONSENT_WRITE)
def withdraw(consent_id: str) -> ResponseReturnValue:
    return act(lambda: consent.withdraw(graph(), principal(), consent_id),
               "Your consent is withdrawn: the organisation can no longer read your data for "
               "this purpose.", _page, "console.my_data", f"consent-{consent_id}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/me", "my_data", page)
    bp.add_url_rule("/me/consents", "grant", grant, methods=["POST"])
    bp.add_url_rule("/me/consents/<consent_id>/withdraw", "withdraw", withdraw,
                    methods=["POST"])
