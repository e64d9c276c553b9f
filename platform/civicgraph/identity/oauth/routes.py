"""``/oauth/*`` and ``/.well-known/*``: the authorization server's HTTP face, with the signed
checkpoints of the access logs (``/access-log/checkpoints``), verified with its JWKS.

The login page is server-rendered with a CSRF token kept in the signed session cookie; it posts
back to the same URL, so the authorization request's parameters travel in the query string and
Authlib validates them again on the POST.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import secrets
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, current_app, jsonify, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from civicgraph.core import metrics
from civicgraph.identity.oauth import ratelimit
from civicgraph.identity.oauth.grants import granted_scope, load_user
from civicgraph.identity.oauth.server import AuthExtension
from civicgraph.identity.service import access_log, accounts

log = logging.getLogger(__name__)
bp = Blueprint("oauth", __name__, template_folder="templates")

SCOPE_TEXT = {
    "graph:read": "read the partner graph",
    "graph:write": "change your organisation's records in the partner graph",
    "lab:write": "act in the innovation lab",
    "kits:read": "read open-data kits",
    "citizen:read": "read citizens' data that they consented to share",
    "consent:read": "list your consents and who read your data",
    "consent:write": "grant, change and withdraw your consents",
    "admin": "administer the platform",
}


def _ext() -> AuthExtension:
    ext: AuthExtension = current_app.extensions["civicgraph_auth"]
    return ext


def _client_id_of_request() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.split(":", 1)[0] or None
    return request.form.get("client_id") or None


@bp.before_request
def _refuse_undecodable_basic() -> ResponseReturnValue | None:
    """Basic credentials that are not base64 of UTF-8 are a bad client, not a server error.

    Authlib decodes them as UTF-8 without catching the failure; RFC 6749 (5.2) answers a client
    that authenticated with the Authorization header ``invalid_client`` with 401.
    """
    header = request.headers.get("Authorization", "")
    if request.method != "POST" or not header.lower().startswith("basic "):
        return None
    try:
        base64.b64decode(header[6:].strip()).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        response = jsonify(error="invalid_client",
                           error_description="the Basic credentials are not base64 of UTF-8 "
                                             "client_id:client_secret")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Basic realm="civicgraph"'
        metrics.token_refused("token", "invalid_client")
        return response
    return None


def _limited(exc: ratelimit.RateLimited) -> ResponseReturnValue:
    response = jsonify(error="rate_limited",
                       error_description=f"too many token requests for this {exc.what}; "
                                         f"retry after {exc.retry_after} s")
    response.status_code = 429
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


@bp.post("/oauth/token")
def token() -> ResponseReturnValue:
    ext = _ext()
    settings = ext.settings
    try:
        ratelimit.hit(ext.redis, f"ip:{request.remote_addr}", settings.token_rate_per_ip,
                      settings.token_rate_window)
        client_id = _client_id_of_request()
        if client_id:
            ratelimit.hit(ext.redis, f"client:{client_id}", settings.token_rate_per_client,
                          settings.token_rate_window)
    except ratelimit.RateLimited as exc:
        metrics.token_refused("token", "rate_limited")
        return _limited(exc)
    response: Response = ext.server.create_token_response()
    if response.status_code == 200:
        metrics.token_issued(request.form.get("grant_type", ""))
    else:
        refused = response.get_json(silent=True)
        metrics.token_refused("token", str(refused.get("error", "other"))
                              if isinstance(refused, dict) else "other")
    return response


@bp.post("/oauth/introspect")
def introspect() -> ResponseReturnValue:
    response: Response = _ext().server.create_endpoint_response("introspection")
    return response


@bp.post("/oauth/revoke")
def revoke() -> ResponseReturnValue:
    response: Response = _ext().server.create_endpoint_response("revocation")
    return response


def _login_page(grant: Any, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    token = secrets.token_urlsafe(32)
    session["csrf"] = token
    client = grant.client
    scopes = (grant.request.payload.scope or "").split()
    html = render_template(
        "login.html", client_name=client.row.get("name", client.client_id),
        organisation=client.row.get("organisationName"),
        scopes=[(s, SCOPE_TEXT.get(s, s)) for s in scopes], csrf_token=token, error=error,
        lang=str(get_locale() or "en"),
        action=request.full_path,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    )
    return response


def _authorize_error(error: OAuth2Error) -> ResponseReturnValue:
    # Before the client and redirect URI are known to be good, never redirect: show the error.
    return jsonify(error=error.error, error_description=error.description), 400


@bp.get("/oauth/authorize")
def authorize_page() -> ResponseReturnValue:
    try:
        grant = _ext().server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        return _authorize_error(error)
    return _login_page(grant)


@bp.post("/oauth/authorize")
def authorize_submit() -> ResponseReturnValue:
    ext = _ext()
    try:
        grant = ext.server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        return _authorize_error(error)
    expected = session.pop("csrf", None)
    sent = request.form.get("csrf_token", "")
    if not expected or not hmac.compare_digest(str(expected), sent):
        return _login_page(grant, "The form expired or was not sent from this page; "
                                  "please sign in again.", 400)
    if request.form.get("action") == "deny":
        response: Response = ext.server.create_authorization_response(grant_user=None, grant=grant)
        return response
    try:
        ratelimit.hit(ext.redis, f"login:{request.remote_addr}", ext.settings.token_rate_per_ip,
                      ext.settings.token_rate_window)
    except ratelimit.RateLimited as exc:
        return _limited(exc)
    person = accounts.authenticate(ext.graph, request.form.get("email", ""),
                                   request.form.get("password", ""))
    if person is None:
        return _login_page(grant, "Wrong email or password.", 401)
    user = load_user(ext.graph, person["id"])
    if user is not None and not granted_scope(user, grant.request.payload.scope):
        return _login_page(grant, "Your account cannot give this application anything it "
                                  "asks for: sign in with another account.", 403)
    response = ext.server.create_authorization_response(grant_user=user, grant=grant)
    return response


@bp.get("/oauth/callback")
def demo_callback() -> ResponseReturnValue:
    """Where the demo console client is sent back: shows the code to exchange by hand."""
    return jsonify(code=request.args.get("code"), state=request.args.get("state"),
                   error=request.args.get("error"),
                   next="POST /oauth/token with grant_type=authorization_code, this code, "
                        "client_id, redirect_uri and your code_verifier")


@bp.get("/.well-known/oauth-authorization-server")
def metadata() -> ResponseReturnValue:
    return jsonify(_ext().metadata())


@bp.get("/.well-known/jwks.json")
def jwks() -> ResponseReturnValue:
    response = jsonify(_ext().keyring.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/access-log/checkpoints")
def access_log_checkpoints() -> ResponseReturnValue:
    """The newest signed heads of the citizens' access logs, for anyone to keep or compare
    with a citizen's download: opaque chain ids and hashes, nothing personal."""
    response = jsonify({"checkpoints": access_log.published(_ext().graph),
                        "jwks_uri": _ext().metadata()["jwks_uri"]})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
