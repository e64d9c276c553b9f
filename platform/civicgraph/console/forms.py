"""Running a form's action: success redirects (post/redirect/get); a refusal re-renders the page.

A refused action keeps what the person typed (``kept``) and puts each message next to its field
(``errors``); a stale edit (``Conflict``) also shows the record as it is now, so nothing the
person wrote is silently lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue

from civicgraph.console.shell import done, form_errors
from civicgraph.core.errors import BadInput, Conflict, DomainError, Forbidden, NotFound

STATUS = {BadInput: 400, Forbidden: 403, NotFound: 404, Conflict: 409}


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
    """Run ``action``; on a domain error show ``page`` again with the errors for ``form``."""
    try:
        action()
    except DomainError as error:
        status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
        failure = {"form": form, "errors": form_errors(error), "kept": request.form.to_dict(),
                   "kept_lists": request.form.to_dict(flat=False),
                   "conflict": error.details if isinstance(error, Conflict) else None,
                   "unmet": error.details.get("unmetConditions"), "message": error.message}
        return page(failure=failure), status
    return done(message, endpoint, **values)
