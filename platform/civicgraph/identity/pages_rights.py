"""The citizen's rights in the console: download everything held about them, ask for erasure;
and the staff page where erasure requests are carried out or refused.

The citizen's side is a partial of the citizen page (``_my_rights.html``); it reads the
request's state through the ``my_erasure_request`` template global, so the citizen page's view
needs no change to show it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from civicgraph.console.forms import act
from civicgraph.console.shell import graph, json_download, principal, signed_in
from civicgraph.core.access import CITIZEN, CONSENT_READ, CONSENT_WRITE, LAB_WRITE, STAFF
from civicgraph.identity import pages as citizen_pages
from civicgraph.identity.service import rights

EXPORT_NAME = "civicgraph-my-data.json"


def _translated(document: dict[str, Any]) -> dict[str, Any]:
    """The export's section texts in the citizen's language; the data as stored."""
    out = {**document, "about": gettext(document["about"])}
    for key, section in document.items():
        if isinstance(section, dict) and "about" in section:
            out[key] = {**section, "about": gettext(section["about"])}
    return out


@signed_in(frozenset({CITIZEN}), scope=CONSENT_READ)
def export() -> ResponseReturnValue:
    document = _translated(rights.export(graph(), principal()))
    return json_download(document, EXPORT_NAME)


@signed_in(frozenset({CITIZEN}), scope=CONSENT_WRITE)
def request_erasure() -> ResponseReturnValue:
    return act(lambda: rights.request_erasure(graph(), principal(), request.form.get("reason")),
               gettext("Your request is recorded. Staff will carry it out or tell you why "
                       "not; its state is shown on this page."),
               citizen_pages._page, "console.my_data", "erasure")


def my_erasure_request() -> dict[str, Any] | None:
    return rights.my_erasure_request(graph(), principal())


def _staff_page(failure: dict[str, Any] | None = None) -> str:
    return render_template("console/staff_erasure_requests.html",
                           requests=rights.erasure_requests(graph(), principal()),
                           failure=failure)


@signed_in(STAFF, scope=LAB_WRITE)
def staff_list() -> ResponseReturnValue:
    return _staff_page()


@signed_in(STAFF, scope=LAB_WRITE)
def carry_out(request_id: str) -> ResponseReturnValue:
    return act(lambda: rights.carry_out(graph(), principal(), request_id,
                                        request.form.get("note")),
               gettext("The erasure is carried out: the citizen's personal data is removed "
                       "and the account can no longer sign in."),
               _staff_page, "console.erasure_requests", f"erasure-{request_id}")


@signed_in(STAFF, scope=LAB_WRITE)
def refuse(request_id: str) -> ResponseReturnValue:
    return act(lambda: rights.refuse(graph(), principal(), request_id, request.form.get("note")),
               gettext("The request is refused; the citizen sees your reason."),
               _staff_page, "console.erasure_requests", f"erasure-{request_id}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/me/export.json", "my_export", export)
    bp.add_url_rule("/me/erasure", "request_erasure", request_erasure, methods=["POST"])
    bp.add_url_rule("/staff/erasure-requests", "erasure_requests", staff_list)
    bp.add_url_rule("/staff/erasure-requests/<request_id>/carry-out", "carry_out_erasure",
                    carry_out, methods=["POST"])
    bp.add_url_rule("/staff/erasure-requests/<request_id>/refuse", "refuse_erasure", refuse,
                    methods=["POST"])
    bp.add_app_template_global(my_erasure_request, "my_erasure_request")
