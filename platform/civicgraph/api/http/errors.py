"""JSON for every HTTP error, so no stack trace or framework error page ever reaches a client.

A front end that serves pages (the console) answers the HTTP errors of its own addresses with a
page of its own: ``register`` takes its ``pages``, each of which answers an error (an HTTP one, or
a service's refusal with its status) or returns None when the address is not theirs. The API's
addresses always get JSON.

A dependency that is down (core/outages.py) is answered 503 with ``Retry-After`` on every
endpoint alike (OAuth, kits, the console, the push webhook), never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from flask import Flask, Response, current_app, g, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, default_exceptions

from civicgraph.core.errors import DomainError, ServiceUnavailable
from civicgraph.core.outages import unavailable

log = logging.getLogger(__name__)


ErrorPage = Callable[[HTTPException], ResponseReturnValue | None]


def register(app: Flask, pages: Sequence[ErrorPage] = ()) -> None:
    def as_page(exc: HTTPException) -> ResponseReturnValue | None:
        for page in pages:
            answer = page(exc)
            if answer is not None:
                return answer
        return None

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        answer = as_page(exc)
        if answer is not None:
            return answer
        code = (exc.name or "error").upper().replace(" ", "_")
        return jsonify(error={"code": code, "message": exc.description}), exc.code or 500

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> ResponseReturnValue:
        if isinstance(exc, ServiceUnavailable):
            return outage_response(exc)
        http = default_exceptions.get(exc.http_status)
        answer = as_page(http(description=exc.message)) if http else None
        if answer is not None:
            return answer
        return jsonify(error={"code": exc.code, "message": exc.message}), exc.http_status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        outage = unavailable(exc)
        if outage is not None:
            log.warning("answered 503: %s (%s: %s)", outage.message, type(exc).__name__, exc)
            return outage_response(outage)
        request_id = getattr(g, "request_id", "-")
        log.exception("unhandled error")
        return jsonify(error={
            "code": "INTERNAL_SERVER_ERROR",
            "message": f"Internal error; quote request id {request_id} when reporting it",
        }), 500


def retry_after() -> int:
    seconds: int = current_app.extensions["civicgraph"]["settings"].retry_after_seconds
    return seconds


def outage_response(outage: ServiceUnavailable) -> Response:
    response = jsonify(error={"code": outage.code, "message": outage.message, **outage.details})
    response.status_code = 503
    response.headers["Retry-After"] = str(retry_after())
    return response
