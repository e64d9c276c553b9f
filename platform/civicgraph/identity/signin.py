"""Sign-in as a public OAuth client: authorization code with PKCE (S256), staying signed in
with the refresh token, then sign-out.

The code is exchanged by running the token endpoint's own view in-process (a request context
built for ``POST /oauth/token``): the same grant, PKCE check, rate limit and token as any client
gets over HTTP, without the web worker calling itself over the network. The refresh token is
used the same way, and revoked at sign-out through the revocation endpoint's own view.

Why a hand-off in Redis when the access token is renewed: refresh tokens rotate, and a rotated
token used again revokes its whole family (it looks like theft). Two requests of one browser
that find the access token expired at the same moment would both send the same refresh token,
and the second would sign the person out everywhere. So one request renews (it holds a
short lock on that refresh token) and leaves the new pair in Redis for a few seconds; the other
waits for it and takes the same pair.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import orjson
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from civicgraph.config import Settings
from civicgraph.console.shell import TOKEN_KEY, graph
from civicgraph.core.access import InvalidToken
from civicgraph.identity.oauth import routes as oauth
from civicgraph.identity.service import accounts

SCOPES = "graph:read lab:write consent:read consent:write kits:read"
CITIZEN_SCOPES = "graph:read consent:read consent:write"
"""A citizen going to their data is asked only for what a citizen needs, not the lab's scopes
(the sign-in page lists what it asks before it knows who signs in)."""
_FLOW = "console_flow"
REFRESH_KEY = "console_refresh"
_RENEWED = "console:renewed:"
_HANDOFF_SECONDS = 10
"""How long a renewed pair waits in Redis for the browser's other requests that sent the same
refresh token (they wait at most ``_WAIT_SECONDS`` for it)."""
_WAIT_SECONDS = 5.0


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def _redirect_uri() -> str:
    return f"{_settings().issuer}/console/callback"


def _safe_next(value: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect after sign-in."""
    if value and value.startswith("/console") and not value.startswith("//"):
        return value
    return url_for("console.home")


def login() -> ResponseReturnValue:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    state = secrets.token_urlsafe(24)
    target = _safe_next(request.args.get("next"))
    session[_FLOW] = {"verifier": verifier, "state": state, "next": target}
    citizen = request.args.get("as") == "citizen" or target.startswith("/console/me")
    query = urlencode({
        "response_type": "code", "client_id": _settings().console_client_id,
        "redirect_uri": _redirect_uri(), "scope": CITIZEN_SCOPES if citizen else SCOPES,
        "state": state,
        "code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256",
    })
    return redirect(f"/oauth/authorize?{query}")


def _endpoint(path: str, view: Any, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """An OAuth endpoint's own view, run in-process for the console as its public client."""
    with current_app.test_request_context(
            path, method="POST", data={**form, "client_id": _settings().console_client_id},
            base_url=_settings().issuer,
            environ_base={"REMOTE_ADDR": request.remote_addr or "127.0.0.1"}):
        response = current_app.make_response(view())
    body: dict[str, Any] = response.get_json(silent=True) or {}
    return response.status_code, body


def _exchange(code: str, verifier: str) -> dict[str, Any]:
    status, body = _endpoint("/oauth/token", oauth.token, {
        "grant_type": "authorization_code", "code": code, "redirect_uri": _redirect_uri(),
        "code_verifier": verifier})
    return body if status == 200 else {"error": body.get("error", "failed")}


def _keep(token: dict[str, Any]) -> None:
    session[TOKEN_KEY] = token["access_token"]
    if token.get("refresh_token"):
        session[REFRESH_KEY] = token["refresh_token"]


def _renewed(refresh: str) -> dict[str, Any] | None:
    """A new pair for ``refresh``: from the token endpoint, or the pair another request of the
    same browser got for it a moment ago (see the module's docstring). None when it is refused
    (expired, revoked, its person erased): the person is signed out."""
    redis = current_app.extensions["civicgraph_auth"].redis
    key = _RENEWED + hashlib.sha256(refresh.encode()).hexdigest()
    if redis.set(key + ":lock", "1", nx=True, ex=_HANDOFF_SECONDS):
        status, body = _endpoint("/oauth/token", oauth.token, {
            "grant_type": "refresh_token", "refresh_token": refresh})
        pair = body if status == 200 and "access_token" in body else None
        redis.set(key, orjson.dumps(pair or {}), ex=_HANDOFF_SECONDS)
        return pair
    deadline = time.monotonic() + _WAIT_SECONDS
    while time.monotonic() < deadline:
        handed = redis.get(key)
        if handed is not None:
            pair = orjson.loads(handed)
            return pair if pair.get("access_token") else None
        time.sleep(0.05)
    return None


def keep_signed_in() -> None:
    """Before each console page: an expired access token is renewed with the refresh token, so
    a session lasts as long as the refresh token (``CIVICGRAPH_REFRESH_TOKEN_DAYS``), not the
    access token's 15 minutes. A token that is revoked, rather than expired, is not renewed:
    the page then finds it refused and the person is signed out (what was revoked stays so)."""
    token, refresh = session.get(TOKEN_KEY), session.get(REFRESH_KEY)
    if not token or not refresh:
        return
    verifier = current_app.extensions["civicgraph_auth"].verifier
    try:
        verifier.decode(str(token))
        return
    except InvalidToken:
        pass
    pair = _renewed(str(refresh))
    if pair is None:
        session.pop(TOKEN_KEY, None)
        session.pop(REFRESH_KEY, None)
        return
    _keep(pair)


def callback() -> ResponseReturnValue:
    flow = session.pop(_FLOW, None)
    if not flow or request.args.get("state") != flow.get("state"):
        return render_template("console/signin_failed.html",
                               reason="The sign-in expired or did not start here."), 400
    if request.args.get("error") or not request.args.get("code"):
        return render_template("console/signin_failed.html",
                               reason="Sign-in was cancelled."), 400
    token = _exchange(str(request.args["code"]), flow["verifier"])
    if "access_token" not in token:
        return render_template("console/signin_failed.html",
                               reason=f"The sign-in was refused ({token['error']})."), 400
    session.clear()
    _keep(token)
    verifier = current_app.extensions["civicgraph_auth"].verifier
    claims = verifier.decode(token["access_token"])
    person = accounts.get(graph(), str(claims["sub"]))
    session["console_name"] = person["name"] if person else None
    return redirect(flow["next"])


def logout() -> ResponseReturnValue:
    token, refresh = session.get(TOKEN_KEY), session.get(REFRESH_KEY)
    if token:
        verifier = current_app.extensions["civicgraph_auth"].verifier
        with contextlib.suppress(InvalidToken):  # an expired token needs no revoking
            verifier.revoke(verifier.decode(str(token)))
    if refresh:  # the older ones of its family were revoked as they were used
        _endpoint("/oauth/revoke", oauth.revoke, {"token": str(refresh),
                                                  "token_type_hint": "refresh_token"})
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("console.home"))


def register(bp: Blueprint) -> None:
    bp.before_request(keep_signed_in)
    bp.add_url_rule("/login", "login", login)
    bp.add_url_rule("/callback", "callback", callback)
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
