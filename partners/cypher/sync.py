"""Cypher for partner platforms, sync runs and the batched upserts of synced records.

Each batch is ONE statement: the records, their links, the quarantined rows, the keys seen and the
run's cursor and counters commit together or not at all, so a crash never leaves half a batch
and a resumed run never counts a batch twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from civicgraph.compiler.visibility import mark_published, publish_platform
from civicgraph.core.envelope import touched
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

_PLATFORM = (
    "p {.id, .name, .kind, .mode, .connector, .transport, .location, .allowedRecordTypes, "
    ".clientId, .scheduleSeconds, .version, createdAt: toString(p.createdAt), "
    "promotedAt: toString(p.promotedAt), nextSyncAt: toString(p.nextSyncAt), "
    "operator: COLLECT { MATCH (o:Organisation)-[:OPERATES]->(p) RETURN o.id }[0]}"
)
RUN_PROJECTION = (
    "r {.id, .platformId, .platformName, .status, .trigger, .lease, .seen, .created, .updated, "
    ".unchanged, .withdrawn, .quarantined, .pagesNotModified, .durationMs, .error, .attempts, "
    ".cursor, .validators, requestedAt: toString(r.requestedAt), "
    "startedAt: toString(r.startedAt), finishedAt: toString(r.finishedAt)}"
)


_CREATE_PLATFORM = (
    writers.create("PartnerPlatform", "p", "$props", id="randomUUID()")
    + "WITH p OPTIONAL MATCH (o:Organisation {id: $operatorId}) "
    "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (o)-[:OPERATES]->(p)) "
    "RETURN " + _PLATFORM + " AS platform"
)


def create_platform(graph: Graph, props: dict[str, Any], operator_id: str | None
                    ) -> dict[str, Any]:
    """A new platform with these properties (name, kind, mode, connector, transport, ...),
    operated by the organisation named, if any."""
    records = graph.run(_CREATE_PLATFORM, {"props": props, "operatorId": operator_id},
                        write=True)
    return dict(records[0]["platform"])


def platform(graph: Graph, *, name: str | None = None, id: str | None = None
             ) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:PartnerPlatform) WHERE p.name = $name OR p.id = $id "
        "RETURN " + _PLATFORM + " AS platform LIMIT 1",
        {"name": name, "id": id},
    )
    return dict(records[0]["platform"]) if records else None


def platform_id_for_client(graph: Graph, client_id: str) -> str | None:
    """The platform an OAuth client acts for, if any."""
    records = graph.run(
        "MATCH (p:PartnerPlatform {clientId: $clientId}) RETURN p.id AS id LIMIT 1",
        {"clientId": client_id},
    )
    return str(records[0]["id"]) if records else None


def platforms(graph: Graph) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (p:PartnerPlatform) RETURN " + _PLATFORM + " AS platform ORDER BY p.name"
    )
    return [dict(r["platform"]) for r in records]


def promote(graph: Graph, platform_id: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:PartnerPlatform {id: $id}) "
        # The envelope first: whether this is a change is read before the mode is set.
        "SET " + touched("p", unless="p.mode = 'PRODUCTION'") + ", "
        "p.promotedAt = coalesce(p.promotedAt, datetime()), p.mode = 'PRODUCTION' "
        + publish_platform("p") +
        "RETURN " + _PLATFORM + " AS platform",
        {"id": platform_id},
        write=True,
    )
    return dict(records[0]["platform"]) if records else None


def due_platforms(graph: Graph, now: dt.datetime) -> list[str]:
    records = graph.run(
        "MATCH (p:PartnerPlatform) WHERE p.scheduleSeconds > 0 AND p.transport <> 'WEBHOOK' "
        "AND (p.nextSyncAt IS NULL OR p.nextSyncAt <= $now) RETURN p.name AS name",
        {"now": now},
    )
    return [r["name"] for r in records]


def open_run(graph: Graph, platform_id: str, trigger: str, now: dt.datetime,
             stale_before: dt.datetime) -> tuple[dict[str, Any], bool]:
    """(run, start): a new QUEUED run; or the active run, to be (re)started only when its
    heartbeat is stale (its worker crashed), under a new lease; or the live active run, not to
    be started again.

    One statement, so two triggers at once cannot both open a run for the same platform: the
    SyncState node is write-locked by the first and the second sees its active run.
    """
    records = graph.run(
        "MATCH (p:PartnerPlatform {id: $platformId}) "
        "MERGE (st:SyncState {platformId: $platformId}) "
        "ON CREATE SET st.id = randomUUID(), st.validators = '{}', st.createdAt = $now "
        "SET st._lock = true REMOVE st._lock "
        "WITH p, st OPTIONAL MATCH (active:SyncRun {id: st.activeRunId}) "
        "WHERE active.status IN ['QUEUED', 'RUNNING'] "
        "CALL (p, st, active) { "
        "  WITH * WHERE active IS NULL "
        "  CREATE (r:SyncRun {id: randomUUID(), platformId: p.id, platformName: p.name, "
        "    status: 'QUEUED', trigger: $trigger, requestedAt: $now, heartbeatAt: $now, "
        "    seen: 0, created: 0, updated: 0, unchanged: 0, withdrawn: 0, quarantined: 0, "
        "    pagesNotModified: 0, attempts: 0, lease: 1, cursor: null, "
        "    validators: '{}'})-[:SYNCS]->(p) "
        "  SET st.activeRunId = r.id, p.nextSyncAt = CASE WHEN p.scheduleSeconds > 0 "
        "    THEN $now + duration({seconds: p.scheduleSeconds}) END "
        "  RETURN r, true AS start "
        "  UNION "
        "  WITH * WHERE active IS NOT NULL AND active.heartbeatAt < $staleBefore "
        "  SET active.lease = active.lease + 1, active.heartbeatAt = $now "
        "  RETURN active AS r, true AS start "
        "  UNION "
        "  WITH * WHERE active IS NOT NULL AND active.heartbeatAt >= $staleBefore "
        "  RETURN active AS r, false AS start "
        "} "
        "RETURN " + RUN_PROJECTION + " AS run, start",
        {"platformId": platform_id, "trigger": trigger, "now": now,
         "staleBefore": stale_before},
        write=True,
    )
    return dict(records[0]["run"]), bool(records[0]["start"])


def claim_run(graph: Graph, run_id: str, lease: int, now: dt.datetime) -> dict[str, Any] | None:
    """Mark a run RUNNING under its current lease and return it with its cursor and the feed's
    validators; None when the run does not exist or its lease moved on (taken over)."""
    records = graph.run(
        "MATCH (r:SyncRun {id: $id}) WHERE r.lease = $lease "
        "OPTIONAL MATCH (st:SyncState {platformId: r.platformId}) "
        "WITH r, st, r.status IN ['QUEUED', 'RUNNING'] AS open "
        "SET r.status = CASE WHEN open THEN 'RUNNING' ELSE r.status END, "
        "r.startedAt = coalesce(r.startedAt, $now), r.heartbeatAt = $now, "
        "r.attempts = r.attempts + CASE WHEN open THEN 1 ELSE 0 END "
        "RETURN " + RUN_PROJECTION + " AS run, st.validators AS stateValidators",
        {"id": run_id, "lease": lease, "now": now},
        write=True,
    )
    if not records:
        return None
    row = records[0]
    return {**dict(row["run"]), "stateValidators": row["stateValidators"] or "{}"}


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
    "    AND b.businessId <> org.businessId)) THEN [org {.name, .kind, .region, .businessId, "
    "      nameKey: CASE WHEN b IS NULL THEN org.nameKey "
    "        ELSE org.nameKey + '|' + org.businessId END}] ELSE [] END | "
    + writers.create("Organisation", "o", "made", labels="org.label", at="$now",
                     id="randomUUID()") + ") "
    "} } "
)

_ENSURE_TERMS: LiteralString = (
    # Skills and occupations a batch names, created once per batch rather than once per row.
    "CALL () { UNWIND $skills AS s "
    + writers.merge("Skill", "k", "uri", "s.uri", props="s", at="$now", id="randomUUID()")
    + "} "
    "CALL () { UNWIND $occupations AS o "
    + writers.merge("Occupation", "k", "uri", "o.uri", props="o", at="$now", id="randomUUID()")
    + "} "
)

_BOOKKEEPING: LiteralString = (
    "CALL (run) { "
    "  UNWIND $quarantine AS q "
    "  CREATE (run)-[:QUARANTINED]->(:QuarantinedRecord {id: randomUUID(), "
    "    platformId: $platformId, runId: $runId, key: q.key, reason: q.reason, raw: q.raw, "
    "    at: $now}) "
    "} "
    "FOREACH (_ IN CASE WHEN size($seenKeys) + size($unchangedPages) > 0 THEN [1] ELSE [] END | "
    "  CREATE (run)-[:SAW]->(:SyncBatch {id: randomUUID(), keys: $seenKeys, "
    "    pages: $unchangedPages, at: $now})) "
    "SET run.cursor = $cursor, run.validators = $validators, run.heartbeatAt = $now, "
    "  run.seen = run.seen + $seen, run.quarantined = run.quarantined + size($quarantine), "
    "  run.pagesNotModified = run.pagesNotModified + $notModified, "
    "  run.created = run.created + created, run.updated = run.updated + updated, "
    "  run.unchanged = run.unchanged + unchanged + $preUnchanged "
    "RETURN created, updated, unchanged + $preUnchanged AS unchanged"
)


def _record_statement(label: LiteralString, skill_rel: LiteralString) -> LiteralString:
    """The batch upsert for a vacancy or course (labels are constants, never input).

    Rows arrive already filtered of those whose hash is unchanged (``unchanged_keys``); the
    statement checks the hash again, so a row that changed in between is still right.
    """
    return (
        "MATCH (p:PartnerPlatform {id: $platformId}) "
        "MATCH (run:SyncRun {id: $runId}) WHERE run.lease = $lease "
        + _ENSURE_ORGS + _ENSURE_TERMS
        + "CALL (p) { "
        "  UNWIND $rows AS row "
        "  OPTIONAL MATCH (existing:" + label + " {syncKey: row.syncKey}) "
        "  OPTIONAL MATCH (existing)-[old:SOURCED_FROM]->(p) "
        "  WITH p, row, CASE WHEN existing IS NULL THEN 'created' "
        "    WHEN old IS NULL OR old.hash <> row.hash OR old.withdrawnAt IS NOT NULL "
        "    THEN 'updated' ELSE 'unchanged' END AS outcome "
        "  CALL (p, row, outcome) { "
        "    WITH * WHERE outcome <> 'unchanged' "
        + writers.merge(label, "n", "syncKey", "row.syncKey", props="row.props", update=True,
                        at="$now", id="randomUUID()") +
        "    MERGE (n)-[s:SOURCED_FROM]->(p) "
        "    SET s.key = row.key, s.hash = row.hash, s.rawHash = row.rawHash, s.fetchedAt = $now, "
        "      s.page = row.page, s.withdrawnAt = null "
        + mark_published("n", "p") +
        "    WITH n, row, outcome "
        "    CALL (n, outcome) { WITH * WHERE outcome = 'updated' "
        "      MATCH (n)-[x:" + skill_rel + "|FOR_OCCUPATION|OFFERED_BY]->() DELETE x } "
        "    CALL (n, row) { WITH * WHERE row.orgBusinessId IS NOT NULL "
        "      MATCH (o:Organisation {businessId: row.orgBusinessId}) "
        "      CREATE (n)-[:OFFERED_BY]->(o) } "
        "    CALL (n, row) { WITH * WHERE row.orgBusinessId IS NULL AND row.orgNameKey IS NOT NULL "
        "      MATCH (o:Organisation {nameKey: row.orgNameKey}) "
        "      CREATE (n)-[:OFFERED_BY]->(o) } "
        "    CALL (n, row) { UNWIND row.skills AS sk "
        "      MATCH (k:Skill {uri: sk[0]}) "
        "      CREATE (n)-[:" + skill_rel + " {essential: sk[1]}]->(k) } "
        "    CALL (n, row) { WITH * WHERE row.occupation IS NOT NULL "
        "      MATCH (oc:Occupation {uri: row.occupation}) "
        "      CREATE (n)-[:FOR_OCCUPATION]->(oc) } "
        "  } "
        "  RETURN count(CASE outcome WHEN 'created' THEN 1 END) AS created, "
        "    count(CASE outcome WHEN 'updated' THEN 1 END) AS updated, "
        "    count(CASE outcome WHEN 'unchanged' THEN 1 END) AS unchanged "
        "} "
        + _BOOKKEEPING
    )


_ORGANISATION_STATEMENT: LiteralString = (
    "MATCH (p:PartnerPlatform {id: $platformId}) "
    "MATCH (run:SyncRun {id: $runId}) WHERE run.lease = $lease "
    + _ENSURE_ORGS
    + "CALL (p) { "
    "  UNWIND $rows AS row "
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
    "      o.status = CASE WHEN o.status = 'WITHDRAWN' THEN null ELSE o.status END, "
    # Created by _ENSURE_ORGS a moment ago, it is at version 1 already.
    "      " + touched("o", "$now", unless="outcome = 'created'") + " "
    "    MERGE (o)-[s:SOURCED_FROM]->(p) "
    "    SET s.key = row.key, s.hash = row.hash, s.rawHash = row.rawHash, s.fetchedAt = $now, "
    "      s.page = row.page, s.withdrawnAt = null "
    + mark_published("o", "p") +
    "  } "
    "  RETURN count(CASE outcome WHEN 'created' THEN 1 END) AS created, "
    "    count(CASE outcome WHEN 'updated' THEN 1 END) AS updated, "
    "    count(CASE outcome WHEN 'unchanged' THEN 1 END) AS unchanged "
    "} "
    + _BOOKKEEPING
)

_STATEMENTS: dict[str, LiteralString] = {
    "Vacancy": _record_statement("Vacancy", "REQUIRES"),
    "TrainingCourse": _record_statement("TrainingCourse", "TEACHES"),
    "Organisation": _ORGANISATION_STATEMENT,
}


_LOOKUP: dict[str, LiteralString] = {
    "Vacancy": "MATCH (n:Vacancy {syncKey: x.k}) ",
    "TrainingCourse": "MATCH (n:TrainingCourse {syncKey: x.k}) ",
    "Organisation": "MATCH (n:Organisation {businessId: x.k}) ",
}
_HASH_TEST: dict[str, LiteralString] = {
    "hash": "WHERE s.hash = x.h AND s.withdrawnAt IS NULL RETURN x.k AS k",
    "rawHash": "WHERE s.rawHash = x.h AND s.withdrawnAt IS NULL RETURN x.k AS k",
}


def unchanged_keys(graph: Graph, record_type: str, platform_id: str,
                   pairs: list[dict[str, str]], field: str) -> set[str]:
    """The lookup keys (syncKey, or businessId for organisations) whose stored ``hash`` or
    ``rawHash`` for this platform equals the new one: those rows need not be written."""
    records = graph.run(
        "MATCH (p:PartnerPlatform {id: $platformId}) UNWIND $pairs AS x "
        + _LOOKUP[record_type] + "MATCH (n)-[s:SOURCED_FROM]->(p) " + _HASH_TEST[field],
        {"platformId": platform_id, "pairs": pairs},
    )
    return {r["k"] for r in records}


def write_batch(graph: Graph, record_type: str, params: dict[str, Any]
                ) -> dict[str, int] | None:
    """Apply one batch atomically; returns how many rows were created, updated, unchanged, or
    None (and writes nothing) when the run's lease has moved on to another worker."""
    records = graph.run(_STATEMENTS[record_type], params, write=True)
    if not records:
        return None
    row = records[0]
    return {"created": row["created"], "updated": row["updated"], "unchanged": row["unchanged"]}


def live_keys(graph: Graph, platform_id: str) -> list[tuple[str, str | None]]:
    records = graph.run(
        "MATCH (:PartnerPlatform {id: $id})<-[s:SOURCED_FROM]-() WHERE s.withdrawnAt IS NULL "
        "RETURN s.key AS key, s.page AS page",
        {"id": platform_id},
    )
    return [(r["key"], r["page"]) for r in records]


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


def withdraw(graph: Graph, platform_id: str, keys: list[str], now: dt.datetime) -> int:
    """Mark records gone from the source; a record with no live source left is WITHDRAWN."""
    records = graph.run(
        "MATCH (p:PartnerPlatform {id: $id}) "
        "CALL (p) { UNWIND $keys AS key "
        "  MATCH (n)-[s:SOURCED_FROM {key: key}]->(p) WHERE s.withdrawnAt IS NULL "
        "  SET s.withdrawnAt = $now "
        "  WITH n WHERE NOT EXISTS { (n)-[x:SOURCED_FROM]->() WHERE x.withdrawnAt IS NULL } "
        "  SET n.status = 'WITHDRAWN', " + touched("n", "$now") + " "
        "  RETURN count(*) AS ignored } "
        "RETURN size($keys) AS withdrawn",
        {"id": platform_id, "keys": keys, "now": now},
        write=True,
    )
    return int(records[0]["withdrawn"])


def finish_run(graph: Graph, run_id: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Close a run, copy its validators to the platform's state and drop its seen-key batches."""
    records = graph.run(
        "MATCH (r:SyncRun {id: $id}) "
        "OPTIONAL MATCH (st:SyncState {platformId: r.platformId}) "
        "OPTIONAL MATCH (p:PartnerPlatform {id: r.platformId}) "
        "WHERE r.lease = $lease "
        "SET r.status = $status, r.finishedAt = $now, r.withdrawn = r.withdrawn + $withdrawn, "
        "  r.error = $error, "
        "  r.durationMs = duration.inSeconds(r.startedAt, $now).milliseconds, "
        "  st.activeRunId = null, st.lastRunId = r.id, "
        "  st.validators = CASE WHEN $status = 'SUCCEEDED' THEN r.validators "
        "    ELSE st.validators END, "
        "  p.nextSyncAt = CASE WHEN p.scheduleSeconds > 0 "
        "    THEN $now + duration({seconds: p.scheduleSeconds}) ELSE null END "
        "WITH r CALL (r) { OPTIONAL MATCH (r)-[:SAW]->(b:SyncBatch) DETACH DELETE b } "
        "RETURN " + RUN_PROJECTION + " AS run",
        {"id": run_id, **fields},
        write=True,
    )
    return dict(records[0]["run"]) if records else None


def run_by_id(graph: Graph, run_id: str) -> dict[str, Any] | None:
    records = graph.run("MATCH (r:SyncRun {id: $id}) RETURN " + RUN_PROJECTION + " AS run",
                        {"id": run_id})
    return dict(records[0]["run"]) if records else None
