"""Cypher for sync runs: opening one (one per platform at a time), its lease and heartbeat,
taking over a run whose worker or request died, and closing it.

A run's lease fences every write of it: a worker that was taken over (its lease moved on) can
neither heartbeat, claim nor close the run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.core.graph import Graph

RUN_PROJECTION = (
    "r {.id, .platformId, .platformName, .status, .trigger, .lease, .seen, .created, .updated, "
    ".unchanged, .withdrawn, .quarantined, .pagesNotModified, .durationMs, .error, .attempts, "
    "duplicates: coalesce(r.duplicates, 0), warnings: coalesce(r.warnings, 0), "
    "notes: coalesce(r.notes, []), "
    ".cursor, .validators, requestedAt: toString(r.requestedAt), "
    "startedAt: toString(r.startedAt), finishedAt: toString(r.finishedAt)}"
)


def stalled_runs(graph: Graph, silent_since: dt.datetime) -> list[tuple[str, str]]:
    """(platform name, status) of each active run not heard from since ``silent_since``."""
    records = graph.run(
        "MATCH (st:SyncState) WHERE st.activeRunId IS NOT NULL "
        "MATCH (r:SyncRun {id: st.activeRunId}) "
        "WHERE r.status IN ['QUEUED', 'RUNNING'] AND r.heartbeatAt < $since "
        "RETURN r.platformName AS name, r.status AS status",
        {"since": silent_since},
    )
    return [(r["name"], r["status"]) for r in records]


def heartbeat(graph: Graph, run_id: str, lease: int, now: dt.datetime) -> bool:
    """Say the run's worker is alive; False when the lease has moved on (taken over)."""
    records = graph.run(
        "MATCH (r:SyncRun {id: $id}) SET r._lock = true REMOVE r._lock "
        "WITH r WHERE r.lease = $lease SET r.heartbeatAt = $now RETURN r.id AS id",
        {"id": run_id, "lease": lease, "now": now}, write=True,
    )
    return bool(records)


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


def take_over_stale(graph: Graph, platform_id: str, now: dt.datetime,
                    stale_before: dt.datetime) -> dict[str, Any] | None:
    """The platform's open run under a new lease when it has been silent since ``stale_before``
    (its worker or request died), else None; unlike ``open_run`` it never opens a run. The
    SyncState is locked first, as ``open_run`` does, so the two cannot both take it over."""
    records = graph.run(
        "MATCH (st:SyncState {platformId: $platformId}) SET st._lock = true REMOVE st._lock "
        "WITH st MATCH (r:SyncRun {id: st.activeRunId}) "
        "WHERE r.status IN ['QUEUED', 'RUNNING'] AND r.heartbeatAt < $staleBefore "
        "SET r.lease = r.lease + 1, r.heartbeatAt = $now "
        "RETURN " + RUN_PROJECTION + " AS run",
        {"platformId": platform_id, "now": now, "staleBefore": stale_before},
        write=True,
    )
    return dict(records[0]["run"]) if records else None


def claim_run(graph: Graph, run_id: str, lease: int, now: dt.datetime) -> dict[str, Any] | None:
    """Mark a run RUNNING under its current lease and return it with its cursor, the feed's
    validators and how many batches carrying its progress have committed (``batches``, where a
    resumed run's next batch takes its turn); None when the run does not exist or its lease
    moved on (taken over)."""
    records = graph.run(
        "MATCH (r:SyncRun {id: $id}) WHERE r.lease = $lease "
        "OPTIONAL MATCH (st:SyncState {platformId: r.platformId}) "
        "WITH r, st, r.status IN ['QUEUED', 'RUNNING'] AS open "
        "SET r.status = CASE WHEN open THEN 'RUNNING' ELSE r.status END, "
        "r.startedAt = coalesce(r.startedAt, $now), r.heartbeatAt = $now, "
        "r.attempts = r.attempts + CASE WHEN open THEN 1 ELSE 0 END "
        "RETURN " + RUN_PROJECTION + " AS run, st.validators AS stateValidators, "
        "coalesce(r.batches, 0) AS batches",
        {"id": run_id, "lease": lease, "now": now},
        write=True,
    )
    if not records:
        return None
    row = records[0]
    return {**dict(row["run"]), "stateValidators": row["stateValidators"] or "{}",
            "batches": int(row["batches"])}


def finish_run(graph: Graph, run_id: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Close a run, copy its validators to the platform's state and drop its seen-key batches."""
    records = graph.run(
        # The lease fences the run itself (a WHERE after the OPTIONAL MATCH would only have
        # filtered the platform): a worker or push that was taken over closes nothing.
        "MATCH (r:SyncRun {id: $id}) WHERE r.lease = $lease "
        "OPTIONAL MATCH (st:SyncState {platformId: r.platformId}) "
        "OPTIONAL MATCH (p:PartnerPlatform {id: r.platformId}) "
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
