"""Expert evaluation: judges by field, conflicts of interest by graph query, scores, results.

Results show, per proposal, the raw weighted mean over judges and a normalised score: each
judge's weighted scores are turned into z-scores over the proposals that judge scored (a lenient
and a strict judge then count alike), and a proposal's normalised score is the mean of its
z-scores. A judge with fewer than two scored proposals, or who gave every proposal the same
score, has z = 0 for them. Incomplete scorings are listed as missing and left out of both means.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from civicgraph.core import clock
from civicgraph.core.access import EXPERT, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import evaluation as repo
from civicgraph.lab.service.lifecycles import CHALLENGE, PROPOSAL
from civicgraph.lab.service.validation import require_role, text

SCORE_MIN, SCORE_MAX = 0.0, 10.0
# Judges score proposals waiting for a decision, while their challenge is being judged.
SCORING = {**CHALLENGE.params("judging"), **PROPOSAL.params("pending")}


def assign_experts(graph: Graph, actor: Actor, challenge_id: str) -> dict[str, Any]:
    """Judges by field, and for each proposal the judges excluded by a tie, with the reason."""
    require_role(actor, STAFF, "assign experts")
    judges = repo.assign_by_field(graph, challenge_id, clock.iso())
    panel = repo.panel(graph, challenge_id, PROPOSAL.params("sent"))
    if not panel:
        raise NotFound(f"no challenge with id {challenge_id}", id=challenge_id)
    return {"judges": judges,
            "exclusions": [{"proposalId": p["id"], "excluded": p["ties"]}
                           for p in panel["proposals"]]}


def panel(graph: Graph, actor: Actor, challenge_id: str) -> dict[str, Any]:
    """The judges already assigned and each proposal's exclusions, without assigning anyone."""
    require_role(actor, STAFF, "see the expert panel")
    found = repo.panel(graph, challenge_id, PROPOSAL.params("sent"))
    if not found:
        raise NotFound(f"no challenge with id {challenge_id}", id=challenge_id)
    return {"judges": found["judges"],
            "exclusions": [{"proposalId": p["id"], "title": p["title"], "excluded": p["ties"]}
                           for p in found["proposals"]]}


def declare_conflict(graph: Graph, actor: Actor, proposal_id: str,
                     reason: str | None) -> dict[str, Any]:
    """An expert steps aside from a proposal: from then on it is an exclusion like any tie the
    graph finds, shown with its reason, and the expert's scores are refused."""
    require_role(actor, frozenset({EXPERT}), "declare a conflict of interest")
    why = (reason or "").strip()
    if not why or len(why) > 500:
        raise BadInput("say in a few words why (at most 500 characters)", field="reason")
    context = repo.scoring_context(graph, proposal_id, actor.id)
    if context is None:
        raise NotFound(f"no proposal with id {proposal_id}", id=proposal_id)
    if not context["judge"]:
        raise Forbidden("you are not a judge of this challenge")
    repo.declare_conflict(graph, actor.id, proposal_id, why)
    tie = repo.scoring_context(graph, proposal_id, actor.id)
    return {"proposalId": proposal_id, "exclusion": tie["tie"] if tie else None}


def score(graph: Graph, actor: Actor, proposal_id: str, scores: list[dict[str, Any]],
          comment: str | None = None) -> dict[str, Any]:
    require_role(actor, frozenset({EXPERT}), "score proposals")
    context = repo.scoring_context(graph, proposal_id, actor.id)
    if context is None:
        raise NotFound(f"no proposal with id {proposal_id}", id=proposal_id)
    if not context["judge"]:
        raise Forbidden("you are not a judge of this challenge")
    if context["tie"]:
        raise Forbidden(f"you are excluded from this proposal. {context['tie']['reason']}",
                        exclusion=context["tie"]["code"])
    if context["challengeStatus"] not in CHALLENGE.sets["judging"] \
            or context["status"] not in PROPOSAL.sets["pending"]:
        raise BadInput(f"scores are taken while the challenge is in {CHALLENGE.words('judging')} "
                       f"and the proposal is {PROPOSAL.words('pending')} (now "
                       f"{context['challengeStatus']} and {context['status']})", field="proposalId")
    criteria = set(context["criteria"])
    cleaned = []
    for item in scores:
        criterion, value = item.get("criterionId"), item.get("score")
        if criterion not in criteria:
            raise BadInput(f"criterion {criterion} is not in this challenge's rubric",
                           field="criterionId")
        if not isinstance(value, int | float) or not SCORE_MIN <= value <= SCORE_MAX:
            raise BadInput(f"a score is between {SCORE_MIN:g} and {SCORE_MAX:g}", field="score")
        cleaned.append({"criterionId": criterion, "score": float(value)})
    saved = repo.save_scores(graph, {
        "proposal": proposal_id, "expert": actor.id, "scores": cleaned, "at": clock.iso(),
        "comment": text("Evaluation", "comment", comment) or None,
    })
    return {"proposalId": proposal_id, "expertId": actor.id, "saved": saved}


def _weighted(scores: dict[str, float], criteria: list[dict[str, Any]]) -> float:
    total = sum(float(k["weight"]) for k in criteria)
    return sum(float(k["weight"]) * scores[k["id"]] for k in criteria) / total


def results(graph: Graph, challenge_id: str) -> dict[str, Any]:
    panel = repo.panel(graph, challenge_id, PROPOSAL.params("sent"))
    if not panel:
        raise NotFound(f"no challenge with id {challenge_id}", id=challenge_id)
    return rank(challenge_id, panel)


def rank(challenge_id: str, panel: dict[str, Any]) -> dict[str, Any]:
    """The ranking from a challenge's panel as the graph gives it (criteria, judges, proposals
    with their scores and ties): each judge's weighted scores become z-scores, so a harsh and a
    lenient judge count alike, and a proposal's normalised score is the mean of its judges'.
    Excluded judges do not score; missing scores are listed, not guessed."""
    criteria, judges = panel["criteria"], panel["judges"]
    names = {j["id"]: j["name"] for j in judges}
    weighted: dict[str, dict[str, float]] = defaultdict(dict)  # judge -> proposal -> score
    missing: list[dict[str, Any]] = []
    for proposal in panel["proposals"]:
        excluded = {t["expertId"] for t in proposal["ties"]}
        given: dict[str, dict[str, float]] = defaultdict(dict)
        for s in proposal["scores"]:
            given[s["expertId"]][s["criterionId"]] = s["score"]
        for judge in judges:
            if judge["id"] in excluded:
                continue
            lacking = [k["name"] for k in criteria if k["id"] not in given[judge["id"]]]
            if lacking or not criteria:
                missing.append({"proposalId": proposal["id"], "proposalTitle": proposal["title"],
                                "expertId": judge["id"], "name": judge["name"],
                                "missingCriteria": lacking})
            else:
                weighted[judge["id"]][proposal["id"]] = _weighted(given[judge["id"]], criteria)
    z: dict[str, dict[str, float]] = {}
    for judge_id, by_proposal in weighted.items():
        values = list(by_proposal.values())
        mean = statistics.fmean(values)
        spread = statistics.pstdev(values) if len(values) > 1 else 0.0
        z[judge_id] = {p: (v - mean) / spread if spread else 0.0 for p, v in by_proposal.items()}
    rows = []
    for proposal in panel["proposals"]:
        pid = proposal["id"]
        scored_by = [j for j in weighted if pid in weighted[j]]
        rows.append({
            "proposalId": pid, "title": proposal["title"], "status": proposal["status"],
            "judgeCount": len(scored_by),
            "rawWeightedMean": round(statistics.fmean(weighted[j][pid] for j in scored_by), 4)
            if scored_by else None,
            "normalisedScore": round(statistics.fmean(z[j][pid] for j in scored_by), 4)
            if scored_by else None,
            "judges": [{"expertId": j, "name": names.get(j), "weightedScore":
                        round(weighted[j][pid], 4), "zScore": round(z[j][pid], 4)}
                       for j in sorted(scored_by, key=lambda j: (
                           (names.get(j) or "").casefold(), names.get(j) or "", j))],
            "excluded": proposal["ties"],
        })
    ranked = sorted(rows, key=lambda r: (r["normalisedScore"] is None,
                                         -(r["normalisedScore"] or 0.0),
                                         -(r["rawWeightedMean"] or 0.0)))
    for row in ranked:
        key = (row["normalisedScore"], row["rawWeightedMean"])
        row["tiedWith"] = [o["proposalId"] for o in ranked if o is not row and row["judgeCount"]
                           and (o["normalisedScore"], o["rawWeightedMean"]) == key]
        row["rank"] = 1 + sum(1 for o in ranked if o["normalisedScore"] is not None
                              and row["normalisedScore"] is not None
                              and (o["normalisedScore"], o["rawWeightedMean"]) > key)
        if row["normalisedScore"] is None:
            row["rank"] = None
    return {"challengeId": challenge_id, "criteria": criteria, "proposals": ranked,
            "missingScores": missing}


def queue(graph: Graph, actor: Actor) -> list[dict[str, Any]]:
    """The proposals this expert judges now; a tied one is listed with its reason, not hidden."""
    require_role(actor, frozenset({EXPERT}), "see a scoring queue")
    return repo.queue_for(graph, actor.id, SCORING)
