"""Cypher for career paths: explained vacancy matching, courses for gaps, occupation paths.

Plain Cypher on Neo4j Community (no GDS, no APOC). Each statement is compiled from the client's
selection: the vacancies, skills, occupations and courses in an answer are the model's records,
projected by the compiler (``compiler.cypher.project``) inside the one statement, under the
caller's visibility of TEST-mode feeds (``compiler.visibility.predicate`` for its scope).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.compiler.cache import PLANS
from civicgraph.compiler.cypher import Builder, Fields, Plan, kids, project
from civicgraph.compiler.model import OCCUPATION, SKILL, TRAINING_COURSE, VACANCY
from civicgraph.compiler.selection import Selection, shape
from civicgraph.compiler.visibility import Scope, Visibility, predicate
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

# The answer's own objects (not records: no id of their own), as the schema names them, for
# a selected ``__typename`` (a compiled answer is returned as it is, not completed field by
# field, so the statement writes the name).
REQUIRED_SKILL = "RequiredSkill"
COURSE_MATCH = "CourseMatch"
VACANCY_MATCH = "VacancyMatch"
PATH_STEP = "PathStep"
CAREER_PATH = "CareerPath"


def _seen(var: str, scope: Scope) -> str:
    """`` AND `` the caller's visibility test, or nothing for an admin."""
    test = predicate(var, scope)
    return " AND " + test if test else ""


def _wrap(type_name: str, fields: Fields, scalars: dict[str, str],
          records: dict[str, Any]) -> str:
    """A map keyed by the client's response keys: each scalar from ``scalars`` (field name to
    expression), each record field projected by ``records[field](sel, path)``."""
    entries: list[str] = []
    seen: set[str] = set()
    for sel, path in fields:
        if sel.key in seen:
            continue
        seen.add(sel.key)
        if sel.field == "__typename":
            entries.append(f"`{sel.key}`: '{type_name}'")
        elif sel.field in scalars:
            entries.append(f"`{sel.key}`: {scalars[sel.field]}")
        elif sel.field in records:
            entries.append(f"`{sel.key}`: {records[sel.field](sel, path)}")
    return "{" + ", ".join(entries) + "}"


def _skills(b: Builder, source: str, sel: Selection, path: tuple[int, ...]) -> str:
    """A list of ``{k: skill, essential}`` as ``RequiredSkill`` objects, each skill projected
    from the selection (so ``skill { trainingCourses { title } }`` is part of the statement)."""
    item = _wrap(REQUIRED_SKILL, kids(sel, path), {"essential": "x.essential"},
                 {"skill": lambda s, p: project(b, SKILL, "k", kids(s, p))})
    return f"[x IN {source} | head([k IN [x.k] | {item}])]"


def _suggested(gap: str, scope: Scope) -> str:
    """The open courses the caller may see that teach most of the skills in ``gap`` (a list of
    skill nodes), best first, as ``{c: course, closes: URIs of the gap's skills it teaches}``.
    Kept apart from the projection: Neo4j refuses an aggregating subquery inside a map.
    Anchored on the gap's few skills: matched from the course side, the planner scanned every
    course the caller may see (a label scan) for each match."""
    return (
        f"COLLECT {{ UNWIND {gap} AS k MATCH (c:TrainingCourse)-[:TEACHES]->(k) "
        f"WHERE c.status = 'OPEN'{_seen('c', scope)} "
        "WITH c, collect(k.uri) AS closes ORDER BY size(closes) DESC, c.title, c.id "
        "LIMIT $coursesPer RETURN {c: c, closes: closes} }"
    )


def _courses(b: Builder, source: str, sel: Selection, path: tuple[int, ...]) -> str:
    """``_suggested``'s courses as ``CourseMatch`` objects, each course projected from the
    selection."""
    item = _wrap(COURSE_MATCH, kids(sel, path), {"closes": "cm.closes"},
                 {"course": lambda s, p: project(b, TRAINING_COURSE, "c", kids(s, p))})
    return f"[cm IN {source} | head([c IN [cm.c] | {{item}}])]".replace("{item}", item)


def _open(var: str, scope: Scope) -> str:
    return (f"{var}:Vacancy AND {var}.status = 'OPEN' "
            f"AND ({var}.closesAt IS NULL OR {var}.closesAt >= $today){_seen(var, scope)}")


def compile_match(root: Selection, scope: Scope) -> Plan:
    """Open vacancies ranked by weighted overlap (essential 2, optional 1), each explained,
    projected from the client's selection in the same statement."""
    b = Builder(scope=scope)
    item = _wrap(VACANCY_MATCH, kids(root, ()), {"score": "score", "maxScore": "maxScore"}, {
        "vacancy": lambda s, p: project(b, VACANCY, "v", kids(s, p)),
        "matched": lambda s, p: _skills(b, "matched", s, p),
        "missing": lambda s, p: _skills(b, "missing", s, p),
        "courses": lambda s, p: _courses(b, "suggested", s, p),
    })
    selects_courses = root.selects("courses")
    suggested = _suggested("[x IN missing | x.k]", scope) if selects_courses else "[]"
    return b.plan(
        # From the profile's few skills to the vacancies that require them (the adjacency is
        # the graph), scored in one aggregation that reads nothing of the vacancy itself: only
        # a vacancy REQUIRES a skill, so its label is checked later, with the few that can rank.
        "MATCH (s:Skill) WHERE s.uri IN $skills "
        "MATCH (v)-[r:REQUIRES]->(s) "
        "WITH v, sum(CASE WHEN r.essential THEN 2 ELSE 1 END) AS score "
        # Scores are small whole numbers: the candidates are grouped by score, so what is
        # sorted is a few score levels, not every vacancy sharing a skill.
        "WITH score, collect(v) AS tied ORDER BY score DESC "
        "WITH collect({score: score, tied: tied}) AS levels "
        # The cutoff: the score of the limit-th best candidate that is open (OPEN, and not past
        # closesAt by the clock) and visible to the caller, read best first and lazily.
        "CALL (levels) { "
        "  UNWIND levels AS l UNWIND l.tied AS v WITH v, l.score AS score "
        f"  WHERE {_open('v', scope)} "
        "  WITH score LIMIT $limit "
        "  RETURN min(score) AS cutoff "
        "} "
        # Only candidates reaching the cutoff can be in the answer, ranked by the full rule.
        "UNWIND [l IN levels WHERE l.score >= cutoff] AS l UNWIND l.tied AS v "
        f"WITH v, l.score AS score WHERE {_open('v', scope)} "
        "WITH v, score, [(v)-[q:REQUIRES]->(k:Skill) | {k: k, essential: q.essential}] "
        "  AS required "
        "WITH v, score, required, "
        "  reduce(t = 0, x IN required | t + CASE WHEN x.essential THEN 2 ELSE 1 END) "
        "  AS maxScore "
        "ORDER BY score DESC, toFloat(score) / maxScore DESC, v.postedAt DESC, v.id "
        "LIMIT $limit "
        # The explanation (and the courses for its gaps) only for the answer's few.
        "WITH v, score, maxScore, [x IN required WHERE x.k.uri IN $skills] AS matched, "
        "  [x IN required WHERE NOT x.k.uri IN $skills] AS missing "
        f"WITH *, {suggested} AS suggested "
        f"RETURN {item} AS item"
    )


def _plan(kind: str, root: Selection, document: Any, scope: Scope,
          compile_plan: Any) -> Plan:
    key = None if document is None else (document, kind, scope, root.key, shape(root))
    return PLANS.get(key, lambda: compile_plan(root, scope))


def match_vacancies(graph: Graph, root: Selection, document: Any, viewer: Visibility,
                    skills: list[str], limit: int, courses_per_vacancy: int, today: dt.date
                    ) -> list[dict[str, Any]]:
    """The ranked matches, each keyed by the client's response keys."""
    plan = _plan("careers:match", root, document, viewer.scope, compile_match)
    records = graph.run(plan.cypher, {
        **plan.with_caller(root, viewer.params()), "skills": skills, "limit": limit,
        "coursesPer": courses_per_vacancy, "today": today})
    return [dict(r["item"]) for r in records]


def compile_paths(root: Selection, scope: Scope) -> Plan:
    """(missing occupations, paths) in one statement: the occupations of the two that do not
    exist, and paths of occupations that share skills, each step with its overlap and the
    courses that teach the next occupation's essential skills the previous one lacks.

    Ranked by the weakest step's overlap (share of the next occupation's skills already held),
    then by fewer hops; only the answer's paths are projected from the selection.
    """
    b = Builder(scope=scope)

    def occupation(var: str) -> Any:
        return lambda s, p: f"head([o IN [{var}] | {project(b, OCCUPATION, 'o', kids(s, p))}])"

    def step(sel: Selection, path: tuple[int, ...]) -> str:
        inner = _wrap(PATH_STEP, kids(sel, path), {
            "overlap": "st.overlap", "needed": "st.needed", "share": "st.share"}, {
            "from": occupation("st.src"), "to": occupation("st.dst"),
            "gap": lambda s, p: _skills(b, "[g IN st.gap | {k: g, essential: true}]", s, p),
            "courses": lambda s, p: _courses(b, "st.courses", s, p),
        })
        return f"[st IN steps | {inner}]"

    item = _wrap(CAREER_PATH, kids(root, ()), {"weakestShare": "weakest"}, {"steps": step})
    steps = root.child("steps")
    suggested = (_suggested("gap", scope)
                 if steps is not None and steps.selects("courses") else "[]")
    return b.plan(
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
        f"  WITH i, src, dst, overlap, needed, gap, {suggested} AS courses ORDER BY i "
        "  RETURN collect({src: src, dst: dst, overlap: overlap, needed: needed, "
        "    share: toFloat(overlap) / needed, gap: gap, courses: courses}) AS steps "
        "} "
        "WITH steps, reduce(m = 1.0, s IN steps | CASE WHEN s.share < m THEN s.share ELSE m END) "
        "  AS weakest "
        "ORDER BY weakest DESC, size(steps) ASC, [s IN steps | s.dst.name] LIMIT $limit "
        f"RETURN {item} AS item "
        "} AS paths"
    )


def occupation_paths(graph: Graph, root: Selection, document: Any, viewer: Visibility,
                     source: str, target: str, max_hops: int, limit: int,
                     courses_per_step: int) -> tuple[list[str], list[dict[str, Any]]]:
    """(the named occupations that do not exist, the paths keyed by response keys)."""
    plan = _plan("careers:paths", root, document, viewer.scope, compile_paths)
    records = graph.run(plan.cypher, {
        **plan.with_caller(root, viewer.params()), "source": source, "target": target,
        "maxHops": max_hops, "limit": limit, "coursesPer": courses_per_step})
    row = records[0]
    return list(row["missing"]), [dict(p) for p in row["paths"]]


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
