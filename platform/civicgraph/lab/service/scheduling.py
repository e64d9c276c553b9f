"""What the clock moves: run by Celery beat through the worker, never by a request.

Each sweep names the version it read, like any caller, so a sweep racing a person loses cleanly
(the record is skipped and reported) instead of overwriting them.
"""

from __future__ import annotations

from typing import Any

from civicgraph.core import clock
from civicgraph.core.actor import SYSTEM
from civicgraph.core.errors import DomainError
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import challenges as challenge_repo
from civicgraph.lab.service import machine, pilots
from civicgraph.lab.service.lifecycles import CHALLENGE


def close_due_challenges(graph: Graph, now: str | None = None) -> dict[str, Any]:
    """Move every challenge still taking proposals past its deadline into EVALUATION."""
    at = clock.iso(clock.parse(now, "now")) if now else clock.iso()
    moved: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for due in challenge_repo.due_for_evaluation(graph, at,
                                                 CHALLENGE.params("taking_proposals")):
        try:
            done = machine.advance(graph, "CHALLENGE", due["id"], "EVALUATION", SYSTEM,
                                   due["version"], "deadline passed", now=at)
        except DomainError as exc:
            skipped.append({"id": due["id"], "error": exc.code, "message": exc.message})
            continue
        moved.append({"id": due["id"], "version": done["version"]})
    return {"moved": moved, "skipped": skipped, "at": at}


def flag_overdue_measurements(graph: Graph, now: str | None = None) -> dict[str, Any]:
    """Mark live pilots whose outcome measures are due a measurement (and clear the rest)."""
    return pilots.flag_overdue_measurements(graph, now)
