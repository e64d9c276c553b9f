"""Running a form's action: post/redirect/get whether it succeeds or is refused.

A success redirects to the record's page with a flash message. A refusal redirects (303) back
to the page the form is on, so the address bar never holds a POST-only address that a reload or
a copied link would break: the failure (each message next to its field in ``errors``, what the
person typed in ``kept`` and ``kept_lists``, and for a stale edit, a ``Conflict``, the record as
it is now) is kept for that page and shown there once, so nothing the person wrote is lost.

The failure waits in Redis, not in the session cookie: what a person typed can be longer than
a cookie holds. The session holds only the key, so no other browser can read it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
from flask import current_app, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from civicgraph.console.shell import done, form_errors
from civicgraph.core.errors import BadInput, Conflict, DomainError

FAILURE_KEY = "console_failure"
FAILURE_SECONDS = 600
"""How long a refused form's input waits for its page (the redirect follows at once)."""


def number(name: str) -> float | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise BadInput(f"{name} must be a number", field=name) from exc


def integer(name: str) -> int:
    try:
        return int(request.form.get(name, ""))
    except ValueError as exc:
        raise BadInput(f"{name} is missing; reload the page", field=name) from exc


def act(action: Callable[[], Any], message: str, page: Callable[..., str],
        endpoint: str, form: str, **values: Any) -> ResponseReturnValue:
    """Run ``action``; a refusal goes back to the form's page with the errors for ``form``.

    ``page`` is no longer called here: the form's own page shows the failure when it is read
    again (``show_kept_failure``). It stays in the signature while pages still pass it."""
    del page
    try:
        action()
    except DomainError as error:
        return refused(error, form, endpoint, **values)
    return done(message, endpoint, **values)


def refused(error: DomainError, form: str, endpoint: str, **values: Any) -> ResponseReturnValue:
    """Keep the failure for the form's page and send the browser there (303: read it by GET)."""
    kept = {k: v for k, v in request.form.to_dict().items() if k != "csrf_token"}
    failure = {"form": form, "errors": form_errors(error), "kept": kept,
               "kept_lists": {k: v for k, v in request.form.to_dict(flat=False).items()
                              if k != "csrf_token"},
               "conflict": error.details if isinstance(error, Conflict) else None,
               "unmet": error.details.get("unmetConditions"), "message": error.message}
    target = form_page(endpoint, **values)
    if request.args.get("lang"):  # a language chosen on the form's address goes with it
        target += "?" + urlencode({"lang": request.args["lang"]})
    token = secrets.token_urlsafe(18)
    _store().set(_key(token), orjson.dumps({"path": urlsplit(target).path, "failure": failure},
                                           default=str),
                 ex=FAILURE_SECONDS)
    session[FAILURE_KEY] = token
    return redirect(target, 303)


def form_page(endpoint: str, **values: Any) -> str:
    """The page the form is on: its own address when a page answers it by GET (the challenge
    editor posts to itself), else the page the action returns to (a move on the board)."""
    adapter = current_app.create_url_adapter(request)
    if adapter is not None:
        try:
            rule, args = adapter.match(request.path, method="GET", return_rule=True)
        except HTTPException:  # no page there, or only the form's POST
            pass
        else:
            return url_for(rule.endpoint, **args)
    return url_for(endpoint, **values)


def show_kept_failure(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
    """Flask's ``before_render_template``: a page that shows form failures (it renders with a
    ``failure``, None when read by GET) gets the one kept for it, once. Every page with forms is
    served this way without each view looking for it."""
    if "failure" not in context or context["failure"] is not None or request.method != "GET":
        return
    token = session.get(FAILURE_KEY)
    if not token:
        return
    raw = _store().get(_key(str(token)))
    if raw is None:  # expired
        session.pop(FAILURE_KEY, None)
        return
    kept = orjson.loads(raw)
    if kept["path"] != request.script_root + request.path:
        return  # it waits for its own page
    session.pop(FAILURE_KEY, None)
    _store().delete(_key(str(token)))
    context["failure"] = kept["failure"]


def _key(token: str) -> str:
    return f"console:failure:{token}"


def _store() -> Any:
    return current_app.extensions["civicgraph"]["redis"]
