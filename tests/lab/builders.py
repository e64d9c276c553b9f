"""Small builders the lab tests share: a challenge open for proposals, with fields and rubric."""

from __future__ import annotations

from typing import Any

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges

FUTURE = "2099-01-01T00:00:00Z"
AFTER_DEADLINE = "2099-01-02T00:00:00+00:00"
RUBRIC = [{"name": "impact", "weight": 3}, {"name": "feasibility", "weight": 1}]


def open_challenge(graph: Graph, staff: Actor, fields: tuple[str, ...] = ("employment",),
                   criteria: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    challenge = challenges.create(
        graph, staff, title="Reach rural job seekers", description="How do we reach them?",
        eligibility="Organisations in the North", field_codes=list(fields),
        criteria=criteria or RUBRIC, deadline=FUTURE)
    challenges.advance(graph, staff, challenge["id"], "OPEN", 1)
    return challenges.get(graph, challenge["id"])


def to_evaluation(graph: Graph, challenge_id: str) -> None:
    """The deadline passes: the scheduler's own transition, with its clock moved on."""
    from civicgraph.lab.service import scheduling

    moved = scheduling.close_due_challenges(graph, now=AFTER_DEADLINE)
    assert challenge_id in [m["id"] for m in moved["moved"]], moved
