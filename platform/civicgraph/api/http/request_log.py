"""A request id on every request and log line, and one access-log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from civicgraph.core.observability import request_id_var

log = logging.getLogger("civicgraph.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def register(app: Flask) -> None:
    @app.before_request
    def start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        g.started = time.perf_counter()
        request_id_var.set(g.request_id)

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        elapsed_ms = round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2)
        log.info(
            "%s %s %s %sms", request.method, request.path, response.status_code, elapsed_ms,
            extra={"method": request.method, "path": request.path,
                   "status": response.status_code, "duration_ms": elapsed_ms},
        )
        return response
