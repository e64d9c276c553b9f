"""JSON for every HTTP error, so no stack trace or HTML error page ever reaches a client."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from civicgraph.core.errors import DomainError

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        code = (exc.name or "error").upper().replace(" ", "_")
        return jsonify(error={"code": code, "message": exc.description}), exc.code or 500

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> ResponseReturnValue:
        return jsonify(error={"code": exc.code, "message": exc.message}), exc.http_status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        request_id = getattr(g, "request_id", "-")
        log.exception("unhandled error")
        return jsonify(error={
            "code": "INTERNAL_SERVER_ERROR",
            "message": f"Internal error; quote request id {request_id} when reporting it",
        }), 500
