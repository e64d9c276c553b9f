"""Turn the request's bearer token into a ``Principal``, for every endpoint that takes tokens.

A request without a token is anonymous; a token that is sent but bad (unsigned, another key,
expired, revoked, another audience) is refused outright with 401 and ``WWW-Authenticate``, so a
client never mistakes a broken token for anonymous access.
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask import Response, current_app, jsonify, request

from civicgraph.core import metrics
from civicgraph.core.access import ANONYMOUS, Principal


def principal_or_401() -> Principal | Response:
    if "Authorization" not in request.headers:
        return ANONYMOUS
    protector = current_app.extensions["civicgraph_auth"].protector
    try:
        token = protector.acquire_token()
    except OAuth2Error as error:
        metrics.token_refused("api", error.error or "invalid_token")
        headers = dict(error.get_headers())
        headers.setdefault("WWW-Authenticate", 'Bearer realm="civicgraph", error="invalid_token"')
        headers.pop("Content-Type", None)
        response = jsonify(errors=[{
            "message": "The access token is missing, malformed, expired, revoked or not "
                       "issued for this API",
            "extensions": {"code": "UNAUTHENTICATED"},
        }])
        response.status_code = 401
        response.headers.update(headers)
        return response
    principal: Principal = token.principal()
    return principal
