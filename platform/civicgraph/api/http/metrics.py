"""``/metrics``: Prometheus's text format, summed over every process that writes metrics.

Who may read it: metrics name routes, tasks and platforms but carry no personal data and no
secrets, and Prometheus scrapers rarely speak OAuth. So outside production ``/metrics`` is open
on the port the app listens on; in production it is served only when
``CIVICGRAPH_METRICS_TOKEN`` is set, to requests that send it as a bearer token (otherwise 404,
as if there were no such page), so a deployment exposes it to its scraper and nobody else.
"""

from __future__ import annotations

import hmac
import os

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

bp = Blueprint("metrics", __name__)


def _allowed() -> bool:
    settings = current_app.extensions["civicgraph"]["settings"]
    token: str = settings.metrics_token
    if not token:
        return not settings.production
    sent = request.headers.get("Authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    if not _allowed():
        return jsonify(error={"code": "NOT_FOUND", "message": "no such page"}), 404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    return Response(body, mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})
