"""Sign-in as a public OAuth client: authorization code with PKCE (S256), then sign-out.

The code is exchanged by running the token endpoint's own view in-process (a request context
built for ``POST /oauth/token``): the same grant, PKCE check, rate limit and token as any client
gets over HTTP, without the web worker calling itself over the network.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from civicgraph.config import Settings
from civicgraph.console.shell import TOKEN_KEY, graph
from civicgraph.core.access import InvalidToken
from civicgraph.identity.oauth import routes as oauth
from civicgraph.identity.service import accounts

SCOPES = "lab:write consent:read consent:write kits:read"
CITIZEN_SCOPES = "consent:read consent:write"
"""A citizen going to their data is asked only for what a citizen needs, not the lab's scopes
(the sign-in page lists what it asks before it knows who signs in)."""
_FLOW = "console_flow"


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


def _exchange(code: str, verifier: str) -> dict[str, Any]:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": _redirect_uri(),
            "client_id": _settings().console_client_id, "code_verifier": verifier}
    with current_app.test_request_context(
            "/oauth/token", method="POST", data=form, base_url=_settings().issuer,
            environ_base={"REMOTE_ADDR": request.remote_addr or "127.0.0.1"}):
        response = current_app.make_response(oauth.token())
    body: dict[str, Any] = response.get_json(silent=True) or {}
    return body if response.status_code == 200 else {"error": body.get("error", "failed")}


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
    session[TOKEN_KEY] = token["access_token"]
    verifier = current_app.extensions["civicgraph_auth"].verifier
    claims = verifier.decode(token["access_token"])
    person = accounts.get(graph(), str(claims["sub"]))
    session["console_name"] = person["name"] if person else None
    return redirect(flow["next"])


def logout() -> ResponseReturnValue:
    token = session.get(TOKEN_KEY)
    if token:
        verifier = current_app.extensions["civicgraph_auth"].verifier
        with contextlib.suppress(InvalidToken):  # an expired token needs no revoking
            verifier.revoke(verifier.decode(str(token)))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("console.home"))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/login", "login", login)
    bp.add_url_rule("/callback", "callback", callback)
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
