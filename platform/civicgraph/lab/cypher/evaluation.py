"""Cypher for expert evaluation: assigning judges by field, ties to proposers, scores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicgraph.core.envelope import AT, created, touched
from civicgraph.core.graph import Graph
from civicgraph.core.ordering import by_name


def assign_by_field(graph: Graph, challenge_id: str, at: str) -> list[dict[str, Any]]:
    """Make every expert in one of the challenge's fields a judge of it (idempotent)."""
    records = graph.run(
        "MATCH (c:Challenge {id: $id})-[:IN_FIELD]->(f:Field)<-[:EXPERT_IN]-(x:Person:Expert) "
        "WITH c, x, collect(f.code) AS codes "
        "MERGE (x)-[j:JUDGES]->(c) ON CREATE SET j.assignedAt = datetime($at) "
        "RETURN x {.id, .name, fields: codes} AS expert ORDER BY " + by_name("x.name") + ", x.id",
        {"id": challenge_id, "at": at},
        write=True,
    )
    return [dict(r["expert"]) for r in records]


# Why a judge may not score a proposal, or null: the tie found in the graph, as a code and the
# names a sentence about it needs (``REASONS`` writes it in English; the console in each language).
_TIE = (
    "CASE "
    "  WHEN EXISTS { (x)-[:DECLARED_CONFLICT]->(p) } THEN {code: 'DECLARED', declared: "
    "    COLLECT { MATCH (x)-[d:DECLARED_CONFLICT]->(p) RETURN d.reason }[0]} "
    "  WHEN x.id = p.createdBy THEN {code: 'AUTHOR'} "
    "  WHEN EXISTS { (x)-[:MEMBER_OF]->(owner) } THEN {code: 'MEMBER_OF_PROPOSER', "
    "    proposer: owner.name, team: owner:Team} "
    "  WHEN owner:Team AND EXISTS { (x)-[:MEMBER_OF]->(:Organisation)<-[:MEMBER_OF]-(:Person)"
    "    -[:MEMBER_OF]->(owner) } THEN {code: 'COLLEAGUE_OF_TEAM_MEMBER', proposer: owner.name} "
    "  WHEN owner:Organisation AND EXISTS { (x)-[:MEMBER_OF]->(:Organisation)"
    "    -[:PARTNERS_WITH]-(owner) } THEN {code: 'MEMBER_OF_PARTNER', proposer: owner.name, "
    "    partner: COLLECT { MATCH (x)-[:MEMBER_OF]->(o:Organisation)-[:PARTNERS_WITH]-(owner) "
    "      RETURN o.name ORDER BY " + by_name("o.name") + " }[0]} "
    "  ELSE null END"
)

# The API's ``reason``: each tie as an English sentence about the expert.
REASONS = {
    "DECLARED": "The expert declared a conflict of interest: {declared}",
    "AUTHOR": "The expert wrote the proposal.",
    "MEMBER_OF_PROPOSER": "The expert is a member of the proposing {kind}, {proposer}.",
    "COLLEAGUE_OF_TEAM_MEMBER": "The expert works in the same organisation as a member of the "
                                "proposing team, {proposer}.",
    "MEMBER_OF_PARTNER": "The expert is a member of {partner}, a partner of the proposing "
                         "organisation, {proposer}.",
}


def _tie(found: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A tie with its ``reason`` written from its code and names."""
    if not found:
        return None
    tie = dict(found)
    kind = "team" if tie.get("team") else "organisation"
    tie["reason"] = REASONS[tie["code"]].format(kind=kind, **{
        k: tie.get(k) or "" for k in ("declared", "proposer", "partner")})
    return tie


def panel(graph: Graph, challenge_id: str, sets: Mapping[str, list[str]]) -> dict[str, Any]:
    """Criteria, judges, the proposals sent, each judge's tie to each and their scores."""
    records = graph.run(
        "MATCH (c:Challenge {id: $id}) "
        "RETURN COLLECT { MATCH (c)-[:HAS_CRITERION]->(k:Criterion) "
        "    WITH k ORDER BY k.position RETURN k {.id, .name, .weight} } AS criteria, "
        "  COLLECT { MATCH (x:Person)-[:JUDGES]->(c) RETURN x {.id, .name} "
        "    ORDER BY " + by_name("x.name") + ", x.id } AS judges, "
        "  COLLECT { MATCH (p:Proposal)-[:RESPONDS_TO]->(c) WHERE p.status IN $proposalSent "
        "    WITH p ORDER BY p.createdAt, p.id "
        "    OPTIONAL MATCH (p)-[:SUBMITTED_BY]->(owner) "
        "    RETURN p {.id, .title, .status, "
        "      ties: COLLECT { MATCH (x:Person)-[:JUDGES]->(c) WITH x, " + _TIE + " AS tie "
        "        WHERE tie IS NOT NULL RETURN tie {.*, expertId: x.id, name: x.name} }, "
        "      scores: COLLECT { MATCH (x:Person)<-[:BY]-(ev:Evaluation)-[:EVALUATES]->(p) "
        "        MATCH (ev)-[s:SCORED]->(k:Criterion) "
        "        RETURN {expertId: x.id, criterionId: k.id, score: s.score} } "
        "    } } AS proposals",
        {**sets, "id": challenge_id},
    )
    if not records:
        return {}
    row = records[0]
    return {
        "criteria": [dict(k) for k in row["criteria"]],
        "judges": [dict(j) for j in row["judges"]],
        "proposals": [
            {**dict(p), "ties": [_tie(t) for t in p["ties"]],
             "scores": [dict(s) for s in p["scores"]]}
            for p in row["proposals"]
        ],
    }


def scoring_context(graph: Graph, proposal_id: str, expert_id: str) -> dict[str, Any] | None:
    """What decides whether this expert may score this proposal now."""
    records = graph.run(
        "MATCH (p:Proposal {id: $proposal})-[:RESPONDS_TO]->(c:Challenge) "
        "OPTIONAL MATCH (p)-[:SUBMITTED_BY]->(owner) "
        "OPTIONAL MATCH (x:Person {id: $expert}) "
        "RETURN p.status AS status, c.status AS challengeStatus, c.id AS challengeId, "
        "  x IS NOT NULL AND EXISTS { (x)-[:JUDGES]->(c) } AS judge, "
        "  CASE WHEN x IS NULL THEN null ELSE " + _TIE + " END AS tie, "
        "  COLLECT { MATCH (c)-[:HAS_CRITERION]->(k:Criterion) RETURN k.id } AS criteria",
        {"proposal": proposal_id, "expert": expert_id},
    )
    if not records:
        return None
    row = dict(records[0])
    row["tie"] = _tie(row["tie"])
    return row


def declare_conflict(graph: Graph, expert_id: str, proposal_id: str, reason: str) -> bool:
    """Record an expert's own declaration (once; the first reason stays); False if unknown."""
    records = graph.run(
        "MATCH (x:Person {id: $expert}) MATCH (p:Proposal {id: $proposal}) "
        "MERGE (x)-[d:DECLARED_CONFLICT]->(p) "
        "ON CREATE SET d.reason = $reason, d.at = datetime() "
        "RETURN count(d) AS n",
        {"expert": expert_id, "proposal": proposal_id, "reason": reason},
        write=True,
    )
    return bool(records and records[0]["n"])


def save_scores(graph: Graph, fields: dict[str, Any]) -> int:
    """One evaluation per judge and proposal; scores are set per criterion (last one wins)."""
    records = graph.run(
        "MATCH (p:Proposal {id: $proposal}) MATCH (x:Person {id: $expert}) "
        "MERGE (ev:Evaluation {judgeKey: $expert + '|' + $proposal}) "
        "ON CREATE SET " + created("ev", AT, id="randomUUID()") + " "
        "ON MATCH SET " + touched("ev", AT) + " "
        "SET ev.comment = coalesce($comment, ev.comment) "
        "MERGE (ev)-[:EVALUATES]->(p) MERGE (ev)-[:BY]->(x) "
        "WITH ev UNWIND $scores AS s MATCH (k:Criterion {id: s.criterionId}) "
        "MERGE (ev)-[r:SCORED]->(k) SET r.score = s.score, r.at = datetime($at) "
        "RETURN count(r) AS saved",
        fields,
        write=True,
    )
    return int(records[0]["saved"]) if records else 0


def queue_for(graph: Graph, expert_id: str, sets: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """Proposals waiting for a decision in challenges being judged, with tie and progress."""
    records = graph.run(
        "MATCH (x:Person {id: $expert})-[:JUDGES]->(c:Challenge) "
        "WHERE c.status IN $challengeJudging "
        "MATCH (p:Proposal)-[:RESPONDS_TO]->(c) WHERE p.status IN $proposalPending "
        "OPTIONAL MATCH (p)-[:SUBMITTED_BY]->(owner) "
        "WITH x, c, p, owner ORDER BY c.deadline, c.id, p.createdAt, p.id "
        # The expert's own evaluation, if saved: its comment and, on each criterion, the
        # score given, so the form shows what they saved and they can change it.
        "OPTIONAL MATCH (ev:Evaluation {judgeKey: x.id + '|' + p.id}) "
        "RETURN p {.id, .title, .summary, .status, challengeId: c.id, challengeTitle: c.title, "
        "  tie: " + _TIE + ", "
        "  scored: ev IS NOT NULL, comment: ev.comment, "
        "  scoredAt: toString(coalesce(ev.updatedAt, ev.createdAt)), "
        "  criteria: COLLECT { MATCH (c)-[:HAS_CRITERION]->(k:Criterion) WITH k "
        "    ORDER BY k.position RETURN k {.id, .name, .weight, .description, "
        "      mine: head(COLLECT { MATCH (ev)-[s:SCORED]->(k) RETURN s.score })} } } AS item",
        {**sets, "expert": expert_id},
    )
    return [{**dict(r["item"]), "tie": _tie(r["item"]["tie"]),
             "criteria": [dict(k) for k in r["item"]["criteria"]]} for r in records]
