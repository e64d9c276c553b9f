"""Cypher for the batched upserts of synced records, the keys a platform already holds and the
withdrawal of the records a full run did not see.

Each batch is ONE statement: the records, their links, the quarantined rows, the keys seen and the
run's cursor and counters commit together or not at all, so a crash never leaves half a batch
and a resumed run never counts a batch twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from civicgraph.compiler.visibility import mark_published
from civicgraph.core.envelope import touched
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

# The statements below are built once, here, from the partner graph's writers: one per label.
_ENSURE_ORGS: LiteralString = (
    # One subquery call per organisation: each call sees what the calls before it created.
    "CALL () { UNWIND $orgs AS org CALL (org) { "
    "  OPTIONAL MATCH (a:Organisation {businessId: org.businessId}) "
    "  OPTIONAL MATCH (b:Organisation {nameKey: org.nameKey}) "
    "  WITH org, a, b "
    "  FOREACH (_ IN CASE WHEN a IS NULL AND b IS NOT NULL AND b.businessId IS NULL "
    "    AND org.businessId IS NOT NULL THEN [1] ELSE [] END | "
    "    SET b.businessId = org.businessId, " + touched("b", "$now") + ") "
    # A second company of the same name and region keeps its own node, its key made unique.
    "  FOREACH (made IN CASE WHEN a IS NULL AND (b IS NULL OR (org.businessId IS NOT NULL "
    "    AND b.businessId <> org.businessId)) THEN [org {.name, .kind, .region, .regionCode, "
    "      .businessId, "
    "      nameKey: CASE WHEN b IS NULL THEN org.nameKey "
    "        ELSE org.nameKey + '|' + org.businessId END}] ELSE [] END | "
    + writers.create("Organisation", "o", "made", labels="org.label", at="$now",
                     id="randomUUID()") + ") "
    "} } "
)

_ENSURE_TERMS: LiteralString = (
    _ENSURE_ORGS
    + "CALL () { UNWIND $skills AS s "
    + writers.merge("Skill", "k", "uri", "s.uri", props="s", at="$now", id="randomUUID()")
    + "} "
    "CALL () { UNWIND $occupations AS o "
    + writers.merge("Occupation", "k", "uri", "o.uri", props="o", at="$now", id="randomUUID()")
    + "} "
    "UNWIND $orgs AS org "
    "OPTIONAL MATCH (a:Organisation {businessId: org.businessId}) "
    "OPTIONAL MATCH (b:Organisation {nameKey: org.nameKey}) "
    "RETURN org.ref AS ref, "
    "  coalesce(a.id, CASE WHEN org.businessId IS NULL THEN b.id END) AS id"
)


def ensure_terms(graph: Graph, orgs: list[dict[str, Any]], skills: list[dict[str, Any]],
                 occupations: list[dict[str, Any]], now: dt.datetime) -> dict[str, str]:
    """Make the organisations, skills and occupations a run names that the graph lacks (each
    once per run, not per record) and return each organisation's id by its ``ref``.

    Its own transaction: a term made here and not yet linked is harmless (it is what the next
    statement, or the resumed run, links to)."""
    records = graph.run(_ENSURE_TERMS, {"orgs": orgs, "skills": skills,
                                        "occupations": occupations, "now": now}, write=True)
    return {r["ref"]: r["id"] for r in records if r["id"] is not None}


# The run first: its lock, then its lease, so a worker presumed dead cannot write once another
# holds the run (lock first, then compare, in the same transaction). The organisation statement
# takes it here; the vacancy and course statements take it last (``_BOOKKEEPING``), so that two
# of their batches write their records at once and queue only for the run's few lines.
_FENCED: LiteralString = (
    "MATCH (run:SyncRun {id: $runId}) SET run._lock = true REMOVE run._lock "
    "WITH run WHERE run.lease = $lease "
    "MATCH (p:PartnerPlatform {id: $platformId}) "
)
_UNFENCED: LiteralString = (
    "MATCH (run:SyncRun {id: $runId}) MATCH (p:PartnerPlatform {id: $platformId}) "
)

# Then, with the run locked, its lease and its turn: a batch carrying the run's progress
# (``$after``: how many such batches of the run must have committed before it) commits only
# right after the one before it, so the cursor never passes a batch that did not commit. A
# batch out of turn or out of lease writes nothing of the bookkeeping and says so
# (``fenced``, ``turn``); ``write_batch`` then rolls the whole transaction back.
_BOOKKEEPING: LiteralString = (
    "SET run._lock = true REMOVE run._lock "
    "WITH run, created, updated, unchanged, run.lease = $lease AS fenced "
    "WITH run, created, updated, unchanged, fenced, "
    "  fenced AND ($after IS NULL OR coalesce(run.batches, 0) = $after) AS turn "
    "CALL (run, created, updated, unchanged, turn) { "
    "  WITH * WHERE turn "
    "  CALL (run) { "
    "    UNWIND $quarantine AS q "
    "    CREATE (run)-[:QUARANTINED]->(:QuarantinedRecord {id: randomUUID(), "
    "      platformId: $platformId, runId: $runId, key: q.key, reason: q.reason, raw: q.raw, "
    "      at: $now}) "
    "  } "
    "  FOREACH (_ IN CASE WHEN size($seenKeys) + size($unchangedPages) > 0 THEN [1] ELSE [] "
    "    END | CREATE (run)-[:SAW]->(:SyncBatch {id: randomUUID(), keys: $seenKeys, "
    "      pages: $unchangedPages, at: $now})) "
    "  SET run.cursor = coalesce($cursor, run.cursor), "
    "    run.batches = coalesce(run.batches, 0) + CASE WHEN $after IS NULL THEN 0 ELSE 1 END, "
    "    run.validators = coalesce($validators, run.validators), run.heartbeatAt = $now, "
    "    run.seen = run.seen + $seen, run.quarantined = run.quarantined + size($quarantine), "
    "    run.pagesNotModified = run.pagesNotModified + $notModified, "
    "    run.created = run.created + created, run.updated = run.updated + updated, "
    "    run.unchanged = run.unchanged + unchanged + $unchanged, "
    "    run.duplicates = coalesce(run.duplicates, 0) + $duplicates, "
    "    run.warnings = coalesce(run.warnings, 0) + $warnings, "
    "    run.notes = (coalesce(run.notes, []) + $notes)[..50] "
    "} "
    "RETURN created, updated, unchanged + $unchanged AS unchanged, fenced, turn"
)


class OutOfTurn(RuntimeError):
    """The batch before this one has not committed yet: this one was rolled back, to be sent
    again once that one has."""


class _Superseded(RuntimeError):
    """The run's lease moved on while the batch was written: rolled back, nothing written."""


def _sourced_record(label: LiteralString) -> LiteralString:
    """Where a synced record and its SOURCED_FROM edge are written: one fragment for every
    shape of the label's batch statement, so what marks a synced record is kept in one place.

    Reads ``row`` (syncKey, props, key, hash, rawHash, page, warnings) and ``p``; leaves ``n``.
    """
    return (
        writers.merge(label, "n", "syncKey", "row.syncKey", props="row.props", update=True,
                      at="$now", id="randomUUID()")
        + "MERGE (n)-[s:SOURCED_FROM]->(p) "
        "SET s.key = row.key, s.hash = row.hash, s.rawHash = row.rawHash, s.fetchedAt = $now, "
        "  s.page = row.page, s.withdrawnAt = null, s.warnings = row.warnings "
        + mark_published("n", "p")
    )


def _new_record(label: LiteralString) -> LiteralString:
    """Where a record new to its platform is written: CREATE rather than MERGE, node and
    provenance edge both, for the keys the run knows are new (it read every key the platform
    has when it started, and the lease lets no other run of the platform write meanwhile).
    MERGE paid for a lookup and a lock on a key that cannot exist; measured about 1.1x on 20k
    new postings. Should a key exist after all, the syncKey constraint refuses the statement
    and ``write_batch`` writes the batch again as MERGEs: never a duplicate, never a refusal.

    Reads ``row`` and ``p`` like ``_sourced_record``; leaves ``n``."""
    return (
        writers.create(label, "n", "row.props", at="$now", id="randomUUID()")
        + "SET n.syncKey = row.syncKey "
        "CREATE (n)-[:SOURCED_FROM {key: row.key, hash: row.hash, rawHash: row.rawHash, "
        "  fetchedAt: $now, page: row.page, warnings: row.warnings}]->(p) "
        + mark_published("n", "p")
    )


def _links(label_rel: LiteralString) -> LiteralString:
    """A record's employer or provider, skills and occupation, taken from the batch's
    ``orgs``, ``skills`` and ``occupations`` (see ``_TERMS``) by their place in those lists
    (``$orgAt``, ``$skillAt``, ``$occupationAt``): no index seek per link. Each a list, so
    every row takes the same plan whatever it names; a term gone since it was made is skipped.
    """
    return (
        "WITH n, row, orgs, skills, occupations "
        "CALL (n, row, orgs) { WITH orgs[$orgAt[row.orgId]][0] AS o WHERE o IS NOT NULL "
        "  CREATE (n)-[:OFFERED_BY]->(o) } "
        "CALL (n, row, skills) { UNWIND row.skills AS sk "
        "  WITH sk, skills[$skillAt[sk[0]]][0] AS k WHERE k IS NOT NULL "
        "  CREATE (n)-[:" + label_rel + " {essential: sk[1]}]->(k) } "
        "CALL (n, row, occupations) { UNWIND row.occupations AS uri "
        "  WITH occupations[$occupationAt[uri]][0] AS oc WHERE oc IS NOT NULL "
        "  CREATE (n)-[:FOR_OCCUPATION]->(oc) } "
    )


# The terms a batch links to, each looked up once per batch rather than once per link: 30,000
# skill links of 5,000 postings were 30,000 index seeks (with their locks) for 300 skills.
# ``collect([x])`` keeps a missing term's place (``collect(x)`` would drop it and shift the rest).
_TERMS: LiteralString = (
    "CALL () { UNWIND $orgIds AS id OPTIONAL MATCH (o:Organisation {id: id}) "
    "  RETURN collect([o]) AS orgs } "
    "CALL () { UNWIND $skillUris AS uri OPTIONAL MATCH (k:Skill {uri: uri}) "
    "  RETURN collect([k]) AS skills } "
    "CALL () { UNWIND $occupationUris AS uri OPTIONAL MATCH (oc:Occupation {uri: uri}) "
    "  RETURN collect([oc]) AS occupations } "
)


def link_terms(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The parameters ``_TERMS`` and ``_links`` read: each term the rows name, once, and its
    place in the list."""
    orgs = sorted({row["orgId"] for row in rows if row.get("orgId")})
    skills = sorted({sk[0] for row in rows for sk in row.get("skills") or ()})
    occupations = sorted({uri for row in rows for uri in row.get("occupations") or ()})
    return {"orgIds": orgs, "orgAt": {v: i for i, v in enumerate(orgs)},
            "skillUris": skills, "skillAt": {v: i for i, v in enumerate(skills)},
            "occupationUris": occupations,
            "occupationAt": {v: i for i, v in enumerate(occupations)}}


# The batch statements skip re-planning: their plans are index seeks whatever the graph's size,
# and a plan made again as a run grows the graph cost more than the batch it was made for.
_PLANNED: LiteralString = "CYPHER replan=skip "


def _record_statement(label: LiteralString, skill_rel: LiteralString, creates: bool,
                      updates: bool, fresh: bool = True) -> LiteralString:
    """The batch statement for vacancies or courses (labels are constants, never input).

    One fixed text per shape, chosen by which lists the batch has, so no row takes a branch:
    records new to this platform (``$creates``) and records whose content changed
    (``$updates``, whose old links go first). Unchanged records never get here: the run skips
    them in memory. With neither, only the bookkeeping is written (a checkpoint)."""
    text: LiteralString = _PLANNED + _UNFENCED + _TERMS
    if creates:
        written = _new_record(label) if fresh else _sourced_record(label)
        text += ("CALL (p, orgs, skills, occupations) { UNWIND $creates AS row " + written
                 + _links(skill_rel) + "  RETURN count(*) AS created } ")
    else:
        text += "WITH run, p, orgs, skills, occupations, 0 AS created "
    if updates:
        text += ("CALL (p, orgs, skills, occupations) { UNWIND $updates AS row "
                 + _sourced_record(label)
                 + "  WITH n, row, orgs, skills, occupations CALL (n) { MATCH (n)-[x:" + skill_rel
                 + "|FOR_OCCUPATION|OFFERED_BY]->() DELETE x } "
                 + _links(skill_rel) + "  RETURN count(*) AS updated } ")
    else:
        text += "WITH run, created, 0 AS updated "
    return text + "WITH run, created, updated, 0 AS unchanged " + _BOOKKEEPING


_ORGANISATION_STATEMENT: LiteralString = (
    _FENCED
    + _ENSURE_ORGS  # $orgs: the register's rows as organisations
    + "CALL (p) { "
    "  UNWIND $creates + $updates AS row "
    "  MATCH (o:Organisation {businessId: row.org.businessId}) "
    "  OPTIONAL MATCH (o)-[old:SOURCED_FROM]->(p) "
    "  WITH p, row, o, CASE WHEN o.createdAt = $now AND old IS NULL THEN 'created' "
    "    WHEN old IS NULL OR old.hash <> row.hash OR old.withdrawnAt IS NOT NULL "
    "    THEN 'updated' ELSE 'unchanged' END AS outcome "
    "  CALL (p, row, o, outcome) { "
    "    WITH * WHERE outcome <> 'unchanged' "
    # The register owns legal facts; kind and region stay as the graph already has them.
    "    SET o += row.props, o.kind = coalesce(o.kind, row.org.kind), "
    "      o.region = coalesce(o.region, row.org.region), "
    "      o.regionCode = coalesce(o.regionCode, row.org.regionCode), "
    "      o.status = CASE WHEN o.status = 'WITHDRAWN' THEN null ELSE o.status END, "
    # Created a moment ago in this statement, it is at version 1 already.
    "      " + touched("o", "$now", unless="outcome = 'created'") + " "
    "    MERGE (o)-[s:SOURCED_FROM]->(p) "
    "    SET s.key = row.key, s.hash = row.hash, s.rawHash = row.rawHash, s.fetchedAt = $now, "
    "      s.page = row.page, s.withdrawnAt = null, s.warnings = row.warnings "
    + mark_published("o", "p") +
    "  } "
    "  RETURN count(CASE outcome WHEN 'created' THEN 1 END) AS created, "
    "    count(CASE outcome WHEN 'updated' THEN 1 END) AS updated, "
    "    count(CASE outcome WHEN 'unchanged' THEN 1 END) AS unchanged "
    "} "
    + _BOOKKEEPING
)

_SHAPES = ((False, False), (True, False), (False, True), (True, True))
_STATEMENTS: dict[tuple[str, bool, bool], LiteralString] = {
    **{("Vacancy", c, u): _record_statement("Vacancy", "REQUIRES", c, u) for c, u in _SHAPES},
    **{("TrainingCourse", c, u): _record_statement("TrainingCourse", "TEACHES", c, u)
       for c, u in _SHAPES},
    **{("Organisation", c, u): _ORGANISATION_STATEMENT for c, u in _SHAPES},
}
# The same shapes with MERGE for the "new" records: the fallback of a batch whose CREATE met a
# key that exists (see ``_new_record``).
_MERGING: dict[tuple[str, bool, bool], LiteralString] = {
    **{("Vacancy", True, u): _record_statement("Vacancy", "REQUIRES", True, u, fresh=False)
       for u in (False, True)},
    **{("TrainingCourse", True, u): _record_statement("TrainingCourse", "TEACHES", True, u,
                                                      fresh=False) for u in (False, True)},
}


Known = tuple[str, str, bool, str | None, str]
"""What a run knows of a record its platform synced: (hash, raw hash, live, page, elementId of
its SOURCED_FROM edge)."""


def known_records(graph: Graph, platform_id: str) -> dict[str, Known]:
    """Every record this platform has synced, by its key (see ``Known``).

    Read once per run, so a re-sync decides in memory which records are unchanged and which
    are new (no lookup round trip per batch), and the withdrawal pass finds each edge it closes
    by its elementId (so no index on the edge's key is kept up to date by every new record).
    Rows travel as lists in chunks of 10,000: one Bolt record per row cost ten times as much as
    the rows themselves (20k rows: 2.2 s as records, 0.2 s as lists, measured)."""
    known: dict[str, Known] = {}
    with graph.stream(
        "MATCH (:PartnerPlatform {id: $id})<-[s:SOURCED_FROM]-() "
        "WITH collect([s.key, s.hash, s.rawHash, s.withdrawnAt IS NULL, s.page, elementId(s)]) "
        "  AS rows "
        "UNWIND range(0, size(rows) - 1, 10000) AS at "
        "RETURN rows[at..at + 10000] AS chunk",
        {"id": platform_id}, fetch_size=4,
    ) as chunks:
        for record in chunks:
            for key, hash_, raw_hash, live, page, edge in record["chunk"]:
                known[key] = (hash_, raw_hash, live, page, edge)
    return known


def write_batch(graph: Graph, record_type: str, params: dict[str, Any]
                ) -> dict[str, int] | None:
    """Apply one batch atomically; returns how many rows were created, updated, unchanged, or
    None (and writes nothing) when the run's lease has moved on to another worker. Raises
    ``OutOfTurn`` (and writes nothing) when it carries the run's progress and the batch before
    it has not committed yet."""
    shape = (record_type, bool(params["creates"]), bool(params["updates"]))
    params = {**params, **link_terms([*params["creates"], *params["updates"]])}

    def once(statement: LiteralString) -> dict[str, int]:
        def work() -> dict[str, int]:
            records = graph.run(statement, params, write=True)
            if not records or not records[0]["fenced"]:
                raise _Superseded
            row = records[0]
            if not row["turn"]:
                raise OutOfTurn(f"batch {params['after']} of run {params['runId']} came early")
            return {"created": row["created"], "updated": row["updated"],
                    "unchanged": row["unchanged"]}
        return graph.write_transaction(work)  # what ``work`` raises rolls it all back

    try:
        try:
            return once(_STATEMENTS[shape])
        except ConstraintError:
            if shape not in _MERGING:
                raise
            # A key believed new exists (see _new_record): the same batch as MERGEs, which the
            # constraint cannot refuse for that reason.
            return once(_MERGING[shape])
    except _Superseded:
        return None


def warm(graph: Graph) -> None:
    """Have the server plan every batch statement before the first run needs it (worker
    start): EXPLAIN plans and caches a statement without running it."""
    for statement in {*_STATEMENTS.values(), *_MERGING.values(), _ENSURE_TERMS}:
        graph.query_type(statement, {})


def seen_in_run(graph: Graph, run_id: str) -> tuple[set[str], set[str]]:
    records = graph.run(
        "MATCH (:SyncRun {id: $id})-[:SAW]->(b:SyncBatch) RETURN b.keys AS keys, b.pages AS pages",
        {"id": run_id},
    )
    keys: set[str] = set()
    pages: set[str] = set()
    for r in records:
        keys.update(r["keys"] or [])
        pages.update(r["pages"] or [])
    return keys, pages


def withdraw(graph: Graph, platform_id: str, gone: list[tuple[str, str]], now: dt.datetime
             ) -> int:
    """Mark records gone from the source; a record with no live source left is WITHDRAWN.

    ``gone`` is (key, elementId of the record's SOURCED_FROM edge) as ``known_records`` read
    them: the edge is found by its id, and the key and platform are checked again, so an id
    the database reused for another edge since (the record deleted meanwhile) changes nothing.
    """
    records = graph.run(
        "MATCH (p:PartnerPlatform {id: $id}) "
        "CALL (p) { UNWIND $gone AS row "
        "  MATCH (n)-[s:SOURCED_FROM]->(p) WHERE elementId(s) = row[1] AND s.key = row[0] "
        "    AND s.withdrawnAt IS NULL "
        "  SET s.withdrawnAt = $now "
        "  WITH n WHERE NOT EXISTS { (n)-[x:SOURCED_FROM]->() WHERE x.withdrawnAt IS NULL } "
        "  SET n.status = 'WITHDRAWN', " + touched("n", "$now") + " "
        "  RETURN count(*) AS ignored } "
        "RETURN size($gone) AS withdrawn",
        {"id": platform_id, "gone": [list(pair) for pair in gone], "now": now},
        write=True,
    )
    return int(records[0]["withdrawn"])
