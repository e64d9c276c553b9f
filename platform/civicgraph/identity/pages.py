"""Citizens: choose a declared purpose to consent to, narrow, extend or withdraw a consent, see
each read of their data with what came of it, and take their receipts, in plain words.

Granting and changing call the same services as GraphQL's ``grantConsent`` and
``changeConsent``. A refused form keeps every choice (``console.forms.act``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext

from civicgraph.compiler.domains.identity import DATA_USE_KINDS
from civicgraph.console.forms import act
from civicgraph.console.shell import graph, json_download, principal, signed_in
from civicgraph.core.access import CITIZEN, CONSENT_READ, CONSENT_WRITE
from civicgraph.core.errors import BadInput
from civicgraph.identity.service import consent, data_use, purposes, receipts

# No routes: it carries identity's template folder (citizen page, sign-in failure) onto the app.
templates = Blueprint("identity_pages", __name__, template_folder="templates")

def _language() -> str:
    return "fr" if str(get_locale() or "en").startswith("fr") else "en"


def _page(failure: dict[str, Any] | None = None) -> str:
    who, g = principal(), graph()
    consents = consent.my_consents(g, who)
    return render_template(
        "console/citizen.html", consents=consents, ending=consent.my_reminders(g, who),
        purposes=purposes.choices(g), summary=data_use.summary(g, who),
        reads=data_use.reads(g, who), held=consent.what_you_hold(g, who), failure=failure,
        categories=list(consent.CATEGORIES), kinds=list(DATA_USE_KINDS), lang=_language())


def _expiry() -> dt.datetime | None:
    raw = request.form.get("expiresOn", "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(23, 59), dt.UTC)
    except ValueError as exc:
        raise BadInput("The end date is not a date: write it as YYYY-MM-DD.",
                       field="expiresAt") from exc


@signed_in(frozenset({CITIZEN}), scope=CONSENT_WRITE)
def grant() -> ResponseReturnValue:
    return act(lambda: consent.grant(
        graph(), principal(), purpose_id=request.form.get("purposeId", ""),
        categories=request.form.getlist("categories") or None, expires_at=_expiry()),
        gettext("Your consent is recorded: you can change or withdraw it here at any time."),
        _page, "console.my_data", "grant")


@signed_in(frozenset({CITIZEN}), scope=CONSENT_WRITE)
def change(consent_id: str) -> ResponseReturnValue:
    # The form shows the current end as a day: sent back unchanged, the end stays as it is
    # (to the second), so ticking fewer boxes is a narrowing, not an extension by some hours.
    unchanged = request.form.get("expiresOn", "").strip() == request.form.get("currentEnd")
    return act(lambda: consent.change(
        graph(), principal(), consent_id, categories=request.form.getlist("categories"),
        expires_at=None if unchanged else _expiry()),
        gettext("Your consent is changed: the new one replaces it from now on."),
        _page, "console.my_data", f"change-{consent_id}")


@signed_in(frozenset({CITIZEN}), scope=CONSENT_READ)
def page() -> ResponseReturnValue:
    return _page()


@signed_in(frozenset({CITIZEN}), scope=CONSENT_WRITE)
def withdraw(consent_id: str) -> ResponseReturnValue:
    return act(lambda: consent.withdraw(graph(), principal(), consent_id),
               gettext("Your consent is withdrawn: the organisation can no longer read your "
                       "data for this purpose."), _page, "console.my_data",
               f"consent-{consent_id}")


@signed_in(frozenset({CITIZEN}), scope=CONSENT_READ)
def receipt(consent_id: str) -> ResponseReturnValue:
    body = receipts.receipt(graph(), principal(), consent_id, language=_language(),
                            base_url=request.host_url.rstrip("/"))
    return json_download(body, f"civicgraph-consent-receipt-{consent_id}.json")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/me", "my_data", page)
    bp.add_url_rule("/me/consents", "grant", grant, methods=["POST"])
    bp.add_url_rule("/me/consents/<consent_id>/change", "change_consent", change,
                    methods=["POST"])
    bp.add_url_rule("/me/consents/<consent_id>/withdraw", "withdraw", withdraw,
                    methods=["POST"])
    bp.add_url_rule("/me/consents/<consent_id>/receipt.json", "consent_receipt", receipt)
