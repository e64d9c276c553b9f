"""Cypher for the lab's figures: one statement for all of them."""

from __future__ import annotations

from typing import Any

from civicgraph.core.graph import Graph

_PILOT_OF_IDEA = (
    "EXISTS { (i)<-[:FROM_IDEA]-(:Challenge)<-[:RESPONDS_TO]-(:Proposal)<-[:PILOTS]-(pl:Pilot) "
    "  WHERE pl.status IN $statuses } OR "
    "EXISTS { (i)<-[:FROM_IDEA]-(:Proposal)<-[:PILOTS]-(pl:Pilot) WHERE pl.status IN $statuses }"
)


def figures(graph: Graph, since: str | None, until: str | None) -> dict[str, Any]:
    records = graph.run(
        "CALL () { MATCH (i:Idea) "
        "  WHERE ($since IS NULL OR i.createdAt >= datetime($since)) "
        "    AND ($until IS NULL OR i.createdAt < datetime($until)) "
        "  WITH toString(date.truncate('month', i.createdAt)) AS month, i "
        "  WITH month, count(i) AS ideas, count(CASE WHEN i.origin = 'EXTERNAL' THEN 1 END) "
        "    AS external ORDER BY month "
        "  RETURN collect({period: substring(month, 0, 7), ideas: ideas, external: external}) "
        "    AS periods } "
        "CALL () { MATCH (i:Idea) "
        "  RETURN count(i) AS ideas, "
        "    count(CASE WHEN i.status = 'ACCEPTED' THEN 1 END) AS accepted, "
        "    count(CASE WHEN EXISTS { (i)<-[:FROM_IDEA]-(:Challenge) } THEN 1 END) "
        "      AS becameChallenges, "
        "    count(CASE WHEN " + _PILOT_OF_IDEA.replace("$statuses", "$live") + " THEN 1 END) "
        "      AS reachedPilot, "
        "    count(CASE WHEN " + _PILOT_OF_IDEA.replace("$statuses", "['MAINSTREAMED']")
        + " THEN 1 END) AS mainstreamed } "
        "CALL () { MATCH (c:Challenge) RETURN count(c) AS challenges, "
        "  count(CASE WHEN EXISTS { (c)<-[:RESPONDS_TO]-(:Proposal)<-[:PILOTS]-(:Pilot) } "
        "    THEN 1 END) AS challengesWithPilot } "
        "CALL () { MATCH (pl:Pilot) RETURN count(pl) AS pilots, "
        "  count(CASE WHEN pl.status = 'MAINSTREAMED' THEN 1 END) AS pilotsMainstreamed } "
        "CALL () { MATCH (pl:Pilot) "
        "  WITH pl.relationship AS relationship, pl.ownership AS ownership, "
        "    pl.fundingMethod AS fundingMethod, pl.powerSits AS powerSits, "
        "    pl.publicRole AS publicRole, count(*) AS pilots "
        "  ORDER BY pilots DESC, fundingMethod, relationship "
        "  RETURN collect({relationship: relationship, ownership: ownership, "
        "    fundingMethod: fundingMethod, powerSits: powerSits, publicRole: publicRole, "
        "    pilots: pilots}) AS byModel } "
        "RETURN periods, ideas, accepted, becameChallenges, reachedPilot, mainstreamed, "
        "  challenges, challengesWithPilot, pilots, pilotsMainstreamed, byModel",
        {"since": since, "until": until,
         "live": ["PROOF_OF_CONCEPT", "PILOT", "SCALING", "MAINSTREAMED", "STOPPED"]},
    )
    return dict(records[0])
