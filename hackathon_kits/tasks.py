"""The kits' worker task: build and publish one release."""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import shared_task

from civicgraph.config import load_settings
from civicgraph.core import metrics, runtime
from hackathon_kits import service

log = logging.getLogger(__name__)


@shared_task(name=service.BUILD_KIT, bind=True, max_retries=None)  # type: ignore[untyped-decorator]
def build_kit(self: Any, build_id: str, kit: str) -> dict[str, Any]:
    """Build and publish one kit release; the outcome is on the build record in the graph.

    A redelivery that finds the build's lease still live waits one lease and looks again: by
    then the other delivery has finished (nothing to do) or died (its lock has lapsed).
    """
    started = time.perf_counter()
    try:
        result = service.run_build(runtime.graph(), load_settings(), build_id, kit)
    except service.StillRunning as exc:
        raise self.retry(countdown=exc.lease) from exc
    metrics.kit_build_finished(kit, str(result.get("state")), time.perf_counter() - started)
    log.info("kit build %s of %s: %s", build_id, kit, result.get("state"))
    return {"id": result["id"], "state": result["state"],
            "releaseNumber": result.get("releaseNumber")}
