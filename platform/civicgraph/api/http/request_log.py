"""A request id on every request and log line, and one access-log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from civicgraph.core import metrics
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
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        elapsed_ms = round(elapsed * 1000, 2)
        # The route's template (never the path: ids in paths would make a series per record).
        route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
        metrics.http_request(route, request.method, response.status_code,
                             g.get("graphql_operation", "-"), elapsed)
        if log.isEnabledFor(logging.INFO):  # its arguments cost more than the check
            log.info(
                "%s %s %s %sms", request.method, request.path, response.status_code,
                elapsed_ms, extra={"method": request.method, "path": request.path,
                                   "status": response.status_code, "duration_ms": elapsed_ms},
            )
        return response
