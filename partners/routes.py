"""``POST /partners/<platform>/records``: the webhook a WEBHOOK-transport platform pushes to.

The body is a JSON array of records in the platform's connector format (or a schema.org ItemList
/ JSON-LD ``@graph``). They are applied as one sync run (trigger PUSH) through the same mapping,
quarantine and provenance as fetched feeds; a push never withdraws anything.

Only the platform's own OAuth client (a bearer token from client credentials) or a lab admin may
push; ``CIVICGRAPH_PARTNER_WEBHOOKS=false`` turns the endpoint off.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from civicgraph.api.http.bearer import principal_or_401
from civicgraph.core.access import Principal
from civicgraph.core.errors import BadInput, Unauthenticated
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.sources import records_in

bp = Blueprint("partner_webhook", __name__)
JSON_TYPES = frozenset({"application/json", "application/ld+json"})


@bp.post("/partners/<platform>/records")
def push_records(platform: str) -> ResponseReturnValue:
    ext: dict[str, Any] = current_app.extensions["civicgraph"]
    if not ext["settings"].partner_webhooks:
        return jsonify(error={"code": "NOT_FOUND",
                              "message": "partner webhooks are off in this deployment"}), 404
    principal = principal_or_401()
    if not isinstance(principal, Principal):
        return principal
    if not principal.authenticated:
        raise Unauthenticated("push records with the platform's own access token "
                              "(client credentials)")
    caller = partner_platforms.caller_for(ext["graph"], principal)
    partner_platforms.require_may_write(ext["graph"], platform, caller)
    if request.mimetype not in JSON_TYPES:
        return jsonify(error={"code": "UNSUPPORTED_MEDIA_TYPE",
                              "message": "push records as a JSON body (Content-Type: "
                                         "application/json or application/ld+json), not "
                                         f"{request.mimetype or 'no type'}"}), 415
    body = request.get_data()
    try:
        # The app's JSON provider: orjson, refusing a body nested too deep before parsing it.
        shape = current_app.json.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except ValueError as exc:
        raise BadInput(f"the body is not JSON: {exc}") from exc
    if not isinstance(shape, list | dict):
        raise BadInput("push a JSON array of records, or an object holding them "
                       "(itemListElement, @graph, items or data)")
    run = partner_sync.ingest_pushed(ext["graph"], platform, records_in(shape))
    return jsonify(run=run), 201
