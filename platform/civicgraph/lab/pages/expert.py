"""Experts: the proposals they judge now, and the rubric form to score one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import EXPERT, LAB_WRITE
from civicgraph.core.errors import BadInput
from civicgraph.lab.pages.present import exclusion
from civicgraph.lab.service import evaluation


def _queue_page(failure: dict[str, Any] | None = None) -> str:
    return render_template("console/expert_queue.html",
                           queue=evaluation.queue(graph(), actor()), failure=failure)


@signed_in(frozenset({EXPERT}), scope=LAB_WRITE)
def queue() -> ResponseReturnValue:
    return _queue_page()


def _scores(criteria_ids: list[str]) -> list[dict[str, Any]]:
    scores = []
    for criterion in criteria_ids:
        raw = request.form.get(f"score-{criterion}", "").strip()
        try:
            value = float(raw)
        except ValueError as exc:
            raise BadInput("give every criterion a score from 0 to 10",
                           field=f"score-{criterion}") from exc
        scores.append({"criterionId": criterion, "score": value})
    return scores


@signed_in(frozenset({EXPERT}), scope=LAB_WRITE)
def score(proposal_id: str) -> ResponseReturnValue:
    item = next((i for i in evaluation.queue(graph(), actor()) if i["id"] == proposal_id), None)
    if item is None:
        abort(404)
    ids = [k["id"] for k in item["criteria"]]
    return act(lambda: evaluation.score(graph(), actor(), proposal_id, _scores(ids),
                                        request.form.get("comment") or None),
               "Your scores are saved.", _queue_page, "console.queue", f"score-{proposal_id}")


@signed_in(frozenset({EXPERT}), scope=LAB_WRITE)
def declare(proposal_id: str) -> ResponseReturnValue:
    return act(lambda: evaluation.declare_conflict(graph(), actor(), proposal_id,
                                                   request.form.get("reason")),
               "Your conflict of interest is recorded: you will not score this proposal.",
               _queue_page, "console.queue", f"conflict-{proposal_id}")


def register(bp: Blueprint) -> None:
    bp.add_app_template_global(exclusion, "exclusion")
    bp.add_url_rule("/expert", "queue", queue)
    bp.add_url_rule("/expert/proposals/<proposal_id>/score", "score", score, methods=["POST"])
    bp.add_url_rule("/expert/proposals/<proposal_id>/conflict", "declare", declare,
                    methods=["POST"])
