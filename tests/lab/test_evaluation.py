"""Expert evaluation on the real graph: judges by field, exclusions by tie, z-scores, gaps."""

from __future__ import annotations

import pytest

from civicgraph.core.access import Principal
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Forbidden
from civicgraph.core.graph import Graph
from civicgraph.lab.service import evaluation, proposals
from civicgraph.partner_graph.service import organisations
from tests.lab.builders import (
    field,
    open_challenge,
    organisation,
    person,
    submitted_proposals,
    to_evaluation,
)

# Partnerships are set up as an admin would make them (the lab tests are not about that rule).
ADMIN_SETUP = Principal(client_id="lab-test-setup", scopes=frozenset({"admin"}))


def test_panel_exclusions_scores_and_normalised_results(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    field(graph, "health")
    challenge = open_challenge(graph, staff)
    impact, feasibility = (k["id"] for k in challenge["criteria"])
    a_org, b_org, c_org = (organisation(graph, n) for n in ("Alpha", "Beta", "Gamma"))
    friend_org = organisation(graph, "Friendly Uni", "RESEARCH")
    organisations.link_partners(graph, friend_org, b_org, None, principal=ADMIN_SETUP)
    lenient = person(graph, "Ann Lenient", {"EXPERT"}, None, ("employment",))
    strict = person(graph, "Bob Strict", {"EXPERT"}, None, ("employment",))
    insider = person(graph, "Ida Insider", {"EXPERT"}, a_org, ("employment",))
    partner_tie = person(graph, "Pete Partner", {"EXPERT"}, friend_org, ("employment",))
    person(graph, "Hal Health", {"EXPERT"}, None, ("health",))  # another field: not a judge
    ids = submitted_proposals(graph, challenge["id"], {"A": a_org, "B": b_org, "C": c_org})
    to_evaluation(graph, challenge["id"])

    assigned = evaluation.assign_experts(graph, staff, challenge["id"])
    assert [j["name"] for j in assigned["judges"]] == [
        "Ann Lenient", "Bob Strict", "Ida Insider", "Pete Partner"]
    excluded = {e["proposalId"]: e["excluded"] for e in assigned["exclusions"]}
    assert [(x["name"], x["code"]) for x in excluded[ids["A"]]] == [
        ("Ida Insider", "MEMBER_OF_PROPOSER")]
    assert excluded[ids["B"]][0]["reason"] == (
        "The expert is a member of Friendly Uni, a partner of the proposing organisation, Beta.")
    assert excluded[ids["C"]] == []
    with pytest.raises(Forbidden, match="member of the proposing organisation, Alpha"):
        evaluation.score(graph, insider, ids["A"], [{"criterionId": impact, "score": 9}])

    def give(judge: Actor, name: str, i: float, f: float) -> None:
        evaluation.score(graph, judge, ids[name], [{"criterionId": impact, "score": i},
                                                   {"criterionId": feasibility, "score": f}])

    give(lenient, "A", 9, 9)  # weighted 9
    give(lenient, "B", 8, 8)  # 8
    give(lenient, "C", 7, 7)  # 7
    give(strict, "A", 3, 3)   # 3
    give(strict, "B", 2, 2)   # 2
    give(strict, "C", 1, 1)   # 1
    give(insider, "B", 5, 5)
    give(insider, "C", 5, 5)
    evaluation.score(graph, partner_tie, ids["C"], [{"criterionId": impact, "score": 4}])

    results = evaluation.results(graph, challenge["id"])
    rows = {r["title"]: r for r in results["proposals"]}
    assert rows["A"]["rawWeightedMean"] == 6.0
    assert rows["B"]["rawWeightedMean"] == 5.0
    assert rows["C"]["rawWeightedMean"] == round((7 + 1 + 5) / 3, 4)
    # The lenient and strict judges agree on the order once normalised.
    lenient_z = {r["title"]: next(j["zScore"] for j in r["judges"]
                                  if j["expertId"] == lenient.id) for r in rows.values()}
    strict_z = {r["title"]: next(j["zScore"] for j in r["judges"]
                                 if j["expertId"] == strict.id) for r in rows.values()}
    assert lenient_z == strict_z
    assert lenient_z["A"] == pytest.approx(1.2247, abs=1e-4)
    # The insider gave B and C the same score: z = 0 for both; so B and C tie on z but not raw.
    assert [r["title"] for r in results["proposals"]] == ["A", "B", "C"]
    assert rows["A"]["rank"] == 1
    missing = [(m["name"], m["missingCriteria"]) for m in results["missingScores"]]
    assert ("Pete Partner", ["impact", "feasibility"]) in missing  # A: no score at all
    assert ("Pete Partner", ["feasibility"]) in missing  # C: half scored
    assert all(m["name"] != "Ida Insider" or m["proposalId"] != ids["A"]
               for m in results["missingScores"])  # excluded, not missing
    assert rows["A"]["excluded"][0]["name"] == "Ida Insider"


def test_ties_are_visible(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    challenge = open_challenge(graph, staff, criteria=[{"name": "only", "weight": 1}])
    criterion = challenge["criteria"][0]["id"]
    judge = person(graph, "Jo Judge", {"EXPERT"}, None, ("employment",))
    ids = []
    for name in ("X", "Y"):
        author = person(graph, f"Author {name}", {"PARTNER"}, organisation(graph, name))
        draft = proposals.create(graph, author, challenge_id=challenge["id"], title=name,
                                 summary="s")
        proposals.advance(graph, author, draft["id"], "SUBMITTED", 1)
        ids.append(draft["id"])
    to_evaluation(graph, challenge["id"])
    evaluation.assign_experts(graph, staff, challenge["id"])
    for pid in ids:
        evaluation.score(graph, judge, pid, [{"criterionId": criterion, "score": 6}])
    rows = evaluation.results(graph, challenge["id"])["proposals"]
    assert [r["rank"] for r in rows] == [1, 1]
    assert rows[0]["tiedWith"] == [rows[1]["proposalId"]]


def test_an_expert_declares_a_conflict_and_steps_aside(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    criterion = challenge["criteria"][0]["id"]
    judge = person(graph, "Jo Judge", {"EXPERT"}, None, ("employment",))
    outsider = person(graph, "Olly Other", {"EXPERT"}, None, ("health",))
    author = person(graph, "Author", {"PARTNER"}, organisation(graph, "Proposer"))
    draft = proposals.create(graph, author, challenge_id=challenge["id"], title="P",
                             summary="s")
    proposals.advance(graph, author, draft["id"], "SUBMITTED", 1)
    to_evaluation(graph, challenge["id"])
    evaluation.assign_experts(graph, staff, challenge["id"])

    with pytest.raises(BadInput):
        evaluation.declare_conflict(graph, judge, draft["id"], "  ")
    with pytest.raises(Forbidden, match="not a judge"):
        evaluation.declare_conflict(graph, outsider, draft["id"], "my cousin")
    declared = evaluation.declare_conflict(graph, judge, draft["id"], "my sister runs it")
    assert declared["exclusion"] == {
        "code": "DECLARED", "declared": "my sister runs it",
        "reason": "The expert declared a conflict of interest: my sister runs it"}
    evaluation.declare_conflict(graph, judge, draft["id"], "second reason")  # the first stays
    with pytest.raises(Forbidden, match="my sister runs it"):
        evaluation.score(graph, judge, draft["id"], [{"criterionId": criterion, "score": 7}])
    panel = evaluation.panel(graph, staff, challenge["id"])
    assert panel["exclusions"][0]["excluded"] == [{
        "expertId": judge.id, "name": "Jo Judge", "code": "DECLARED",
        "declared": "my sister runs it",
        "reason": "The expert declared a conflict of interest: my sister runs it"}]
