"""Cypher for career paths: explained vacancy matching, courses for gaps, occupation paths.

Plain Cypher on Neo4j Community (no GDS, no APOC). Visibility of synced records is decided here,
inside each statement: a record sourced only from TEST platforms is seen only by those platforms
and by lab admins; records with no partner source (entered directly) are public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from civicgraph.compiler.visibility import visible
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

_visible = visible


_VACANCY: LiteralString = (
    "v {.id, .title, .description, .region, .contractType, .salaryMin, .salaryMax, "
    ".salaryCurrency, .status, .url, postedAt: toString(v.postedAt), "
    "closesAt: toString(v.closesAt), "
    "organisation: COLLECT { MATCH (v)-[:OFFERED_BY]->(o:Organisation) "
    "  RETURN o {.id, .name, .businessId} }[0], "
    "occupation: COLLECT { MATCH (v)-[:FOR_OCCUPATION]->(oc:Occupation) "
    "  RETURN oc {.uri, .name} }[0], "
    "skills: [(v)-[q:REQUIRES]->(k:Skill) | {uri: k.uri, name: k.name, essential: q.essential}], "
    "sources: COLLECT { MATCH (v)-[s:SOURCED_FROM]->(p:PartnerPlatform) "
    "  RETURN {platform: p.name, platformId: p.id, mode: p.mode, key: s.key, "
    "    fetchedAt: toString(s.fetchedAt), hash: s.hash, "
    "    withdrawnAt: toString(s.withdrawnAt)} ORDER BY p.name }}"
)

_COURSE: LiteralString = (
    "c {.id, .title, .region, .mode, .durationHours, .cost, .credential, .url, "
    "startDate: toString(c.startDate), "
    "provider: COLLECT { MATCH (c)-[:OFFERED_BY]->(o:Organisation) RETURN o.name }[0]}"
)


_OPEN: LiteralString = (
    "v:Vacancy AND v.status = 'OPEN' AND (v.closesAt IS NULL OR v.closesAt >= $today) "
)

MATCH: LiteralString = (
    # From the profile's few skills to the vacancies that require them (the adjacency is the
    # graph), scored in one aggregation that reads nothing of the vacancy itself: only a
    # vacancy REQUIRES a skill, so its label is checked later, with the few that can rank.
    "MATCH (s:Skill) WHERE s.uri IN $skills "
    "MATCH (v)-[r:REQUIRES]->(s) "
    "WITH v, sum(CASE WHEN r.essential THEN 2 ELSE 1 END) AS score "
    # Scores are small whole numbers: the candidates are grouped by score, so what is sorted
    # is a few score levels, not every vacancy sharing a skill (100k vacancies: 15k of them).
    "WITH score, collect(v) AS tied ORDER BY score DESC "
    "WITH collect({score: score, tied: tied}) AS levels "
    # The cutoff: the score of the limit-th best candidate that is open (OPEN, and not past
    # closesAt by the clock) and visible to the caller. Read best first, and lazily, so only
    # the first few candidates are checked, not every vacancy sharing a skill.
    "CALL (levels) { "
    "  UNWIND levels AS l UNWIND l.tied AS v WITH v, l.score AS score "
    "  WHERE " + _OPEN + "AND " + _visible("v") + " "
    "  WITH score LIMIT $limit "
    "  RETURN min(score) AS cutoff "
    "} "
    # Only candidates reaching the cutoff can be in the answer, ranked by the full rule.
    "UNWIND [l IN levels WHERE l.score >= cutoff] AS l UNWIND l.tied AS v "
    "WITH v, l.score AS score "
    "WHERE " + _OPEN + "AND " + _visible("v") + " "
    "WITH v, score, [(v)-[q:REQUIRES]->(k:Skill) | "
    "  {uri: k.uri, name: k.name, essential: q.essential}] AS required "
    "WITH v, score, required, "
    "  reduce(t = 0, x IN required | t + CASE WHEN x.essential THEN 2 ELSE 1 END) AS maxScore "
    "ORDER BY score DESC, toFloat(score) / maxScore DESC, v.postedAt DESC, v.id "
    "LIMIT $limit "
    "WITH v, score, maxScore, [x IN required WHERE x.uri IN $skills] AS matched, "
    "  [x IN required WHERE NOT x.uri IN $skills] AS missing "
    "RETURN " + _VACANCY + " AS vacancy, score, maxScore, matched, missing, "
    "  COLLECT { MATCH (c:TrainingCourse)-[:TEACHES]->(k:Skill) "
    "    WHERE k.uri IN [x IN missing | x.uri] AND c.status = 'OPEN' "
    "    AND " + _visible("c") + " "
    "    WITH c, collect(k.uri) AS closes ORDER BY size(closes) DESC, c.title, c.id "
    "    LIMIT $coursesPer "
    "    RETURN " + _COURSE[:-1] + ", closes: closes} } AS courses"
)


def match_vacancies(graph: Graph, skills: list[str], limit: int, courses_per_vacancy: int,
                    caller_platform: str | None, admin: bool, today: dt.date
                    ) -> list[dict[str, Any]]:
    """Open vacancies ranked by weighted overlap (essential 2, optional 1), with explanations."""
    records = graph.run(
        MATCH,
        {"skills": skills, "limit": limit, "coursesPer": courses_per_vacancy,
         "callerPlatform": caller_platform, "today": today,
         "callerClient": None, "admin": admin},
    )
    return [
        {"vacancy": dict(r["vacancy"]), "score": r["score"], "maxScore": r["maxScore"],
         "matched": [dict(x) for x in r["matched"]], "missing": [dict(x) for x in r["missing"]],
         "courses": [dict(c) for c in r["courses"]]}
        for r in records
    ]


def vacancy(graph: Graph, vacancy_id: str, caller_platform: str | None, admin: bool
            ) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (v:Vacancy {id: $id}) WHERE " + _visible("v") + " "
        "RETURN " + _VACANCY + " AS vacancy",
        {"id": vacancy_id, "callerPlatform": caller_platform,
         "callerClient": None, "admin": admin},
    )
    return dict(records[0]["vacancy"]) if records else None


def occupation_paths(graph: Graph, source: str, target: str, max_hops: int, limit: int,
                     courses_per_step: int, caller_platform: str | None, admin: bool
                     ) -> tuple[list[str], list[dict[str, Any]]]:
    """(missing occupations, paths) in one statement: the occupations of the two that do not
    exist, and paths of occupations that share skills, each step with its overlap and the
    courses that teach the next occupation's essential skills the previous one lacks.

    Ranked by the weakest step's overlap (share of the next occupation's skills already held),
    then by fewer hops.
    """
    records = graph.run(
        "OPTIONAL MATCH (a:Occupation {uri: $source}) "
        "OPTIONAL MATCH (b:Occupation {uri: $target}) "
        "RETURN [u IN [CASE WHEN a IS NULL THEN $source END, "
        "  CASE WHEN b IS NULL THEN $target END] WHERE u IS NOT NULL] AS missing, "
        "COLLECT { "
        "WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL "
        "MATCH path = (a) ((x:Occupation)-[:NEEDS_SKILL]->(:Skill)<-[:NEEDS_SKILL]-(y:Occupation) "
        "  WHERE x <> y){1,3} (b) "
        "WITH DISTINCT [n IN nodes(path) WHERE n:Occupation] AS occs "
        "WHERE size(occs) <= $maxHops + 1 "
        "  AND all(i IN range(0, size(occs) - 2) WHERE NOT occs[i] IN occs[i + 1..]) "
        "CALL (occs) { "
        "  UNWIND range(0, size(occs) - 2) AS i "
        "  WITH i, occs[i] AS src, occs[i + 1] AS dst "
        "  CALL (src, dst) { "
        "    MATCH (dst)-[n:NEEDS_SKILL]->(k:Skill) "
        "    WITH k, n, EXISTS { (src)-[:NEEDS_SKILL]->(k) } AS held "
        "    RETURN count(CASE WHEN held THEN 1 END) AS overlap, count(k) AS needed, "
        "      collect(CASE WHEN NOT held AND n.essential THEN k END) AS gap "
        "  } "
        "  WITH i, src, dst, overlap, needed, gap, "
        "    COLLECT { MATCH (c:TrainingCourse)-[:TEACHES]->(k:Skill) "
        "      WHERE k IN gap AND c.status = 'OPEN' AND " + _visible("c") + " "
        "      WITH c, collect(k.uri) AS closes ORDER BY size(closes) DESC, c.title, c.id "
        "      LIMIT $coursesPer "
        "      RETURN " + _COURSE[:-1] + ", closes: closes} } AS courses "
        "  ORDER BY i "
        "  RETURN collect({from: src {.uri, .name}, to: dst {.uri, .name}, overlap: overlap, "
        "    needed: needed, share: toFloat(overlap) / needed, "
        "    gap: [k IN gap | k {.uri, .name}], courses: courses}) AS steps "
        "} "
        "WITH steps, reduce(m = 1.0, s IN steps | CASE WHEN s.share < m THEN s.share ELSE m END) "
        "  AS weakest "
        "ORDER BY weakest DESC, size(steps) ASC, [s IN steps | s.to.name] LIMIT $limit "
        "RETURN {steps: steps, weakest: weakest} "
        "} AS paths",
        {"source": source, "target": target, "maxHops": max_hops, "limit": limit,
         "coursesPer": courses_per_step, "callerPlatform": caller_platform,
         "callerClient": None, "admin": admin},
    )
    row = records[0]
    return list(row["missing"]), [{"steps": [dict(s) for s in p["steps"]],
                                   "weakestShare": p["weakest"]} for p in row["paths"]]


# A reload refreshes names and codes (ESCO's own versions) but not the record's version.
_LOAD_ESCO = (
    "CALL () { UNWIND $skills AS s "
    + writers.merge("Skill", "k", "uri", "s.uri", id="randomUUID()")
    + "  SET k.name = s.name, k.skillType = s.skillType, k.updatedAt = datetime() } "
    "CALL () { UNWIND $occupations AS o "
    + writers.merge("Occupation", "n", "uri", "o.uri", id="randomUUID()")
    + "  SET n.name = o.name, n.code = o.code, n.description = o.description, "
    "    n.updatedAt = datetime() } "
    "CALL () { UNWIND $relations AS r "
    "  MATCH (n:Occupation {uri: r.occupation}) MATCH (k:Skill {uri: r.skill}) "
    "  MERGE (n)-[x:NEEDS_SKILL]->(k) SET x.essential = r.essential } "
    "RETURN COUNT { (:Occupation) } AS occupations, COUNT { (:Skill) } AS skills, "
    "  COUNT { ()-[:NEEDS_SKILL]->() } AS relations"
)


def load_esco(graph: Graph, occupations: list[dict[str, Any]], skills: list[dict[str, Any]],
              relations: list[dict[str, Any]]) -> dict[str, int]:
    """Upsert occupations, skills and their essential/optional relations by URI (idempotent)."""
    records = graph.run(
        _LOAD_ESCO,
        {"occupations": occupations, "skills": skills, "relations": relations},
        write=True,
    )
    row = records[0]
    return {"occupations": row["occupations"], "skills": row["skills"],
            "relations": row["relations"]}
