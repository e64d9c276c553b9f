"""``evaluationResults`` names records (the challenge, each proposal, each judge, each excluded
expert): they are read in one statement for the whole answer, however many it names, and each
is the record's own type projected from the client's selection."""

from __future__ import annotations

from typing import Any

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import evaluation, proposals
from tests.builders import gql
from tests.lab.builders import field, open_challenge, organisation, person, to_evaluation
from tests.lab.test_graphql_lab import signed_in

BARE = """query R($c: ID!) { evaluationResults(challengeId: $c) {
  proposals { title rank judges { name weightedScore } }
  missingScores { name missingCriteria } } }"""

WITH_RECORDS = """query R($c: ID!) { evaluationResults(challengeId: $c) {
  challenge { title criteria { nodes { name } } }
  proposals { title rank proposal { title status proposer { name } }
    judges { name expert { name } } excluded { expert { name } } }
  missingScores { name proposal { title } expert { name } } } }"""


def _scored(graph: Graph, staff: Actor, count: int) -> str:
    """A challenge with ``count`` proposals, each scored by two judges, one proposal left
    unscored by a third judge."""
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    impact, feasibility = (k["id"] for k in challenge["criteria"])
    judges = [person(graph, f"Judge {j}", {"EXPERT"}, None, ("employment",)) for j in "ABC"]
    ids = []
    for i in range(count):
        org = organisation(graph, f"Proposer {i}")
        author = person(graph, f"Author {i}", {"PARTNER"}, org)
        draft = proposals.create(graph, author, challenge_id=challenge["id"], title=f"P{i}",
                                 summary="s")
        proposals.advance(graph, author, draft["id"], "SUBMITTED", 1)
        ids.append(draft["id"])
    to_evaluation(graph, challenge["id"])
    evaluation.assign_experts(graph, staff, challenge["id"])
    for i, proposal_id in enumerate(ids):
        for judge in judges[:2]:
            evaluation.score(graph, judge, proposal_id,
                             [{"criterionId": impact, "score": 5 + i % 4},
                              {"criterionId": feasibility, "score": 6}])
    return str(challenge["id"])


def _read(app: Flask, graph: Graph, staff: Actor, query: str, challenge: str) -> Any:
    body = gql(signed_in(app, graph, staff, "graph:read lab:write"), query, {"c": challenge})
    assert "errors" not in body, body
    return body


def test_the_records_the_results_name_cost_one_statement_whatever_their_number(
        app: Flask, graph: Graph, staff: Actor) -> None:
    challenge = _scored(graph, staff, 6)
    bare = _read(app, graph, staff, BARE, challenge)
    full = _read(app, graph, staff, WITH_RECORDS, challenge)
    # 1 challenge + 6 proposals + 12 judges + 6 missing (proposal and expert): 31 records, read
    # together in one statement beside the evaluation's own.
    assert len(full["extensions"]["cypher"]) == len(bare["extensions"]["cypher"]) + 1, (
        full["extensions"]["cypher"])
    results = full["data"]["evaluationResults"]
    assert results["challenge"]["title"]
    assert [c["name"] for c in results["challenge"]["criteria"]["nodes"]] == [
        "impact", "feasibility"]
    by_title = {row["title"]: row for row in results["proposals"]}
    assert sorted(by_title) == [f"P{i}" for i in range(6)]
    for i in range(6):
        row = by_title[f"P{i}"]
        assert row["proposal"] == {"title": f"P{i}", "status": "SUBMITTED",
                                   "proposer": {"name": f"Proposer {i}"}}
        assert sorted(j["expert"]["name"] for j in row["judges"]) == ["Judge A", "Judge B"]
        assert [j["expert"]["name"] for j in row["judges"]] == [j["name"] for j in row["judges"]]
    missing = results["missingScores"]
    assert len(missing) == 6
    assert {m["expert"]["name"] for m in missing} == {"Judge C"}
    assert sorted(m["proposal"]["title"] for m in missing) == [f"P{i}" for i in range(6)]
