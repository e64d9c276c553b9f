"""The partner graph's worker task: denormalised partner counts, recomputed off the request."""

from __future__ import annotations

import logging

from celery import shared_task

from civicgraph.core import runtime
from civicgraph.partner_graph.service import organisations

log = logging.getLogger(__name__)


@shared_task(name=organisations.RECOMPUTE_PARTNER_COUNTS)  # type: ignore[untyped-decorator]
def recompute_partner_counts() -> dict[str, int]:
    result = organisations.recompute_partner_counts(runtime.graph())
    log.info("recomputed partner counts: %s", result)
    return result
