"""What every console page shares: the signed-in principal, its actor, CSRF and form errors.

The access token lives in Flask's signed session cookie (HttpOnly, SameSite=Lax, Secure when the
issuer is https: set in ``auth.server.init_app``) and is verified on every request exactly as a
bearer token is (``TokenVerifier.verify``: signature, issuer, audience, expiry, revocation).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import orjson
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from civicgraph.core.access import ANONYMOUS as NOBODY
from civicgraph.core.access import CITIZEN, EXPERT, STAFF, InvalidToken, Principal
from civicgraph.core.actor import ANONYMOUS, Actor, actor_for
from civicgraph.core.errors import DomainError
from civicgraph.core.graph import Graph

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")
TOKEN_KEY = "console_token"
CSRF_KEY = "console_csrf"
F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


def graph() -> Graph:
    found: Graph = current_app.extensions["civicgraph"]["graph"]
    return found


def principal() -> Principal:
    if "console_principal" not in g:
        g.console_principal = NOBODY
        token = session.get(TOKEN_KEY)
        if token:
            verifier = current_app.extensions["civicgraph_auth"].verifier
            try:
                g.console_principal = verifier.verify(str(token)).principal()
            except InvalidToken:
                session.pop(TOKEN_KEY, None)  # expired or revoked: signed out
    found: Principal = g.console_principal
    return found


def actor() -> Actor:
    who = principal()
    return actor_for(who) if who.authenticated else ANONYMOUS


def csrf_token() -> str:
    token = session.get(CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return str(token)


@bp.before_request
def _check_csrf() -> None:
    if request.method != "POST":
        return
    expected = session.get(CSRF_KEY)
    sent = request.form.get("csrf_token", "")
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description="The form expired or was not sent from this site; "
                               "reload the page and try again.")


def in_console() -> bool:
    """A console address, whether or not a page answers it (an unknown address has no
    blueprint, and is still the console's to answer)."""
    prefix = bp.url_prefix or ""
    return (request.blueprint == bp.name or request.path == prefix
            or request.path.startswith(prefix + "/"))


@bp.app_context_processor
def _chrome() -> dict[str, Any]:
    if not in_console():
        return {}
    who = actor()
    return {"csrf_token": csrf_token, "current_locale": str(get_locale() or "en"), "me": who,
            "signed_in": who.signed_in, "person_name": session.get("console_name"),
            "is_staff": who.has_any(STAFF), "is_expert": who.has_any(frozenset({EXPERT})),
            "is_citizen": who.has_any(frozenset({CITIZEN}))}


def signed_in(roles: frozenset[str], *, scope: str) -> Callable[[F], F]:
    """The page needs a signed-in person with one of these roles and the token's scope."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            who = actor()
            if not who.signed_in:
                return redirect(url_for("console.login", next=request.full_path))
            if scope not in principal().scopes or not who.has_any(roles):
                return render_template("console/forbidden.html", roles=sorted(roles)), 403
            return view(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate


def error_page(exc: HTTPException) -> ResponseReturnValue | None:
    """An HTTP error at a console address as a page in the layout and the reader's language
    (None elsewhere: the API answers its errors in JSON)."""
    if not in_console():
        return None
    status = exc.code or 500
    headers = {"Allow": ", ".join(exc.valid_methods or ())} \
        if isinstance(exc, MethodNotAllowed) else {}
    # The framework's own wording of a 404 or 405 is not written for a reader: the page has
    # its own; a description the platform wrote (a refused form) is shown as it is.
    described = type(exc).description != exc.description
    return (render_template("console/error.html", status=status,
                            description=exc.description if described else None),
            status, headers)


def form_errors(error: DomainError) -> dict[str, str]:
    """A service error as messages keyed by the form field it names ("_" when none)."""
    field = str(error.details.get("field") or "_")
    return {field: error.message}


def json_download(document: Any, filename: str) -> Response:
    """A JSON document the browser saves as ``filename``: personal data, so no shared cache or
    history keeps a copy."""
    return Response(orjson.dumps(document, option=orjson.OPT_INDENT_2),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


def done(message: str, endpoint: str, **values: Any) -> ResponseReturnValue:
    """Post/redirect/get: a flash message, then the record's page."""
    flash(message, "ok")
    return redirect(url_for(endpoint, **values))
