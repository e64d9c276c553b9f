"""Citizens: the consents they gave (withdraw one) and who read their data, in plain words."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from civicgraph.http.console.core import graph, principal, signed_in
from civicgraph.http.console.forms import act
from civicgraph.services import consent
from civicgraph.services.access import CONSENT_READ, CONSENT_WRITE


def _page(failure: dict[str, Any] | None = None) -> str:
    who = principal()
    return render_template("console/citizen.html", consents=consent.my_consents(graph(), who),
                           log=consent.my_access_log(graph(), who, 50), failure=failure)


@signed_in("CITIZEN", scope=CONSENT_READ)
def page() -> ResponseReturnValue:
    return _page()


@signed_in("CITIZEN", scope=CONSENT_WRITE)
def withdraw(consent_id: str) -> ResponseReturnValue:
    return act(lambda: consent.withdraw(graph(), principal(), consent_id),
               "Your consent is withdrawn: the organisation can no longer read your data for "
               "this purpose.", _page, "console.my_data", f"consent-{consent_id}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/me", "my_data", page)
    bp.add_url_rule("/me/consents/<consent_id>/withdraw", "withdraw", withdraw,
                    methods=["POST"])
