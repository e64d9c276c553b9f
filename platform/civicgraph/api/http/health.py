"""Liveness and readiness, for people and for orchestrators."""

from __future__ import annotations

import platform
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from civicgraph import __version__
from civicgraph.api import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up; says nothing about its dependencies."""
    return jsonify(
        status="ok",
        version=__version__,
        python=platform.python_version(),
        system=platform.system(),
    )


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """503, naming what is not ready, unless Neo4j, Redis and the schema are all there."""
    ext: dict[str, Any] = current_app.extensions["civicgraph"]
    report = readiness.check(ext["graph"], ext["redis_ping"])
    body = {"ready": report.ready, "checks": report.checks}
    return jsonify(body), (200 if report.ready else 503)
