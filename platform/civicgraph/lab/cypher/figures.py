"""Cypher for the lab's figures: one statement for all of them.

An idea reached a pilot when a pilot of it exists, whatever became of the pilot since (a funnel
counts who got to a stage); it was mainstreamed when that pilot is in ``$pilotMainstreamed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicgraph.core.graph import Graph


def _pilot_of_idea(where: str) -> str:
    return (
        "EXISTS { (i)<-[:FROM_IDEA]-(:Challenge)<-[:RESPONDS_TO]-(:Proposal)<-[:PILOTS]-(pl:Pilot) "
        f"  {where} }} OR EXISTS {{ (i)<-[:FROM_IDEA]-(:Proposal)<-[:PILOTS]-(pl:Pilot) {where} }}"
    )


def figures(graph: Graph, since: str | None, until: str | None,
            sets: Mapping[str, list[str]]) -> dict[str, Any]:
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
        "    count(CASE WHEN i.status IN $ideaAccepted THEN 1 END) AS accepted, "
        "    count(CASE WHEN EXISTS { (i)<-[:FROM_IDEA]-(:Challenge) } THEN 1 END) "
        "      AS becameChallenges, "
        "    count(CASE WHEN " + _pilot_of_idea("") + " THEN 1 END) AS reachedPilot, "
        "    count(CASE WHEN " + _pilot_of_idea("WHERE pl.status IN $pilotMainstreamed")
        + " THEN 1 END) AS mainstreamed } "
        "CALL () { MATCH (c:Challenge) RETURN count(c) AS challenges, "
        "  count(CASE WHEN EXISTS { (c)<-[:RESPONDS_TO]-(:Proposal)<-[:PILOTS]-(:Pilot) } "
        "    THEN 1 END) AS challengesWithPilot } "
        "CALL () { MATCH (pl:Pilot) RETURN count(pl) AS pilots, "
        "  count(CASE WHEN pl.status IN $pilotMainstreamed THEN 1 END) AS pilotsMainstreamed } "
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
        {**sets, "since": since, "until": until},
    )
    return dict(records[0])
