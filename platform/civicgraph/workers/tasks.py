"""The worker's tasks: thin wrappers that call the same services as the web app."""

from __future__ import annotations

import logging
import os
import platform
import sys
from typing import Any

from civicgraph.config import load_settings
from civicgraph.services import background, kits, organisations
from civicgraph.workers import runtime
from civicgraph.workers.celery_app import celery_app

log = logging.getLogger(__name__)


@celery_app.task(name=background.RECOMPUTE_PARTNER_COUNTS)  # type: ignore[untyped-decorator]
def recompute_partner_counts() -> dict[str, int]:
    result = organisations.recompute_partner_counts(runtime.graph())
    log.info("recomputed partner counts: %s", result)
    return result


@celery_app.task(name=background.DIAGNOSTICS)  # type: ignore[untyped-decorator]
def diagnostics() -> dict[str, Any]:
    """Report what the worker runs on; also proves the standard library's `platform` is intact."""
    return {
        "system": platform.system(),
        "python": platform.python_version(),
        "pid": os.getpid(),
        "executable": sys.executable,
    }


@celery_app.task(name=kits.BUILD_KIT)  # type: ignore[untyped-decorator]
def build_kit(build_id: str, kit: str) -> dict[str, Any]:
    """Build and publish one kit release; the outcome is on the build record in the graph."""
    result = kits.run_build(runtime.graph(), load_settings(), build_id, kit)
    log.info("kit build %s of %s: %s", build_id, kit, result.get("state"))
    return {"id": result["id"], "state": result["state"],
            "releaseNumber": result.get("releaseNumber")}
