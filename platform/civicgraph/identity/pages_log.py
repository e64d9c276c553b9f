"""The citizen's access log as a file they keep and anyone can check, and the script that checks
it in their browser.

``/console/me/access-log.json`` is the whole chain (``service/access_log.py`` ``export``) with
a head signed at download time; ``/console/me/access-log-proof.js`` recomputes it with
WebCrypto. The script is a file of this domain served from here, not inline, so a strict
Content-Security-Policy (``script-src 'self'``) keeps working.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory
from flask.typing import ResponseReturnValue

from civicgraph.console.shell import graph, json_download, principal, signed_in
from civicgraph.core.access import CITIZEN, CONSENT_READ, require_person
from civicgraph.identity.service import access_log

STATIC = Path(__file__).resolve().parent / "static"
FILENAME = "civicgraph-access-log.json"


@signed_in(frozenset({CITIZEN}), scope=CONSENT_READ)
def download() -> ResponseReturnValue:
    auth = current_app.extensions["civicgraph_auth"]
    document = access_log.export(graph(), require_person(principal(), "CITIZEN"),
                                 auth.keyring.signing_key(), auth.metadata()["jwks_uri"])
    return json_download(document, FILENAME)


def script() -> ResponseReturnValue:
    response = send_from_directory(STATIC, "access_log_proof.js",
                                   mimetype="text/javascript", max_age=300)
    return response


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/me/access-log.json", "my_access_log_file", download)
    bp.add_url_rule("/me/access-log-proof.js", "access_log_proof_js", script)
