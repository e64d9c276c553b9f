"""Syncing a partner feed into the graph: fetch, map, upsert in atomic batches, withdraw the gone.

A run is a ``SyncRun`` node. Its cursor (page URL and offset, or file offset) is written in the
same statement as each batch, so a worker killed mid-run leaves a run whose cursor points just
after the last committed batch; the redelivered task (or the next trigger, once the run's
heartbeat is stale) resumes there. Upserts are keyed and hash-checked, so replaying is harmless.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from civicgraph.compiler.model import OCCUPATION, ORGANISATION, SKILL, TYPES
from civicgraph.core.errors import BadInput, Conflict, NotFound
from civicgraph.core.graph import Graph
from civicgraph.core.tasks import TaskQueue
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key
from partners.connectors.contract import (
    Connector,
    MappedRecord,
    OccupationRef,
    OrgRef,
    RecordError,
    SkillRef,
    Transport,
)
from partners.connectors.registry import connector as connector_named
from partners.cypher import reads as partner_reads
from partners.cypher import sync as repo
from partners.sources import FetchError, HttpFetcher, read_file

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
# The worker task that runs run_sync (partners.tasks) is sent by this name.
SYNC_PARTNER_FEED = "civicgraph.partners.sync"
STALE_AFTER = dt.timedelta(minutes=10)
_DATE_FIELDS = ("postedAt", "closesAt", "startDate", "incorporatedOn")


@dataclass
class SyncOptions:
    batch_size: int = BATCH_SIZE
    fetcher: HttpFetcher | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LeaseLost(RuntimeError):
    """Another worker took the run over (this one was presumed dead): stop without writing."""


def open_run(graph: Graph, platform: str, trigger: str = "MANUAL",
             stale_after: dt.timedelta = STALE_AFTER) -> tuple[dict[str, Any], bool]:
    """(run, start): a new run, or a crashed one to resume, or the live one (start False)."""
    found = repo.platform(graph, name=platform, id=platform)
    if found is None:
        raise NotFound(f"no partner platform {platform!r}", ids=[platform])
    now = _now()
    return repo.open_run(graph, found["id"], trigger, now, now - stale_after)


def request_sync(graph: Graph, queue: TaskQueue, platform: str, trigger: str = "MANUAL",
                 stale_after: dt.timedelta = STALE_AFTER) -> dict[str, Any]:
    """Hand a run to a worker: a new one, or the crashed one to resume from its cursor.

    While a run is alive (its heartbeat is recent) asking again returns that run unchanged.
    """
    found = repo.platform(graph, name=platform, id=platform)
    if found is not None and found["transport"] == Transport.WEBHOOK.value:
        raise BadInput("a WEBHOOK platform pushes its records; there is nothing to fetch",
                       field="platform")
    run, start = open_run(graph, platform, trigger, stale_after)
    if start:
        queue.enqueue(SYNC_PARTNER_FEED, run_id=run["id"], lease=run["lease"])
    return run


def sync_now(graph: Graph, platform: str, trigger: str = "MANUAL",
             options: SyncOptions | None = None) -> dict[str, Any]:
    """Run a sync in this process (the CLI, the demo); refused while another one is alive."""
    run, start = open_run(graph, platform, trigger)
    if not start:
        raise Conflict(f"a sync of {platform} is already running (run {run['id']})")
    return run_sync(graph, run["id"], run["lease"], options)


def sync_due(graph: Graph, queue: TaskQueue) -> list[str]:
    """Called by beat every minute: start a run for each platform whose schedule is due."""
    started = []
    for name in repo.due_platforms(graph, _now()):
        run = request_sync(graph, queue, name, trigger="SCHEDULE")
        started.append(run["id"])
    return started


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


@functools.lru_cache(maxsize=8192)
def _refused_ref(ref: OrgRef | SkillRef | OccupationRef) -> str | None:
    """Why an organisation, skill or occupation a record names breaks its rules, if it does.

    Feeds name the same few employers and skills again and again: each is checked once."""
    try:
        if isinstance(ref, OrgRef):
            try:
                ORGANISATION.clean(_given({"name": ref.name, "kind": ref.kind,
                                           "region": ref.region,
                                           "businessId": ref.business_id}), creating=False)
            except BadInput as exc:
                return f"organisation {exc.message}"
        else:
            node = SKILL if isinstance(ref, SkillRef) else OCCUPATION
            node.clean(_given({"uri": ref.uri, "name": ref.name}), creating=False)
    except BadInput as exc:
        return exc.message
    return None


def _check(record: MappedRecord, props: Mapping[str, Any]) -> None:
    """The partner graph's rules for every property the record writes (``compiler.model``),
    as a mutation's: a refused value is a ``RecordError``, so the record is quarantined with
    the reason. A value the feed leaves out is unknown, not refused: a posting names its
    employer without a region, and the connector decides what a record cannot do without."""
    try:
        TYPES[record.record_type].clean(_given(props), creating=False)
    except BadInput as exc:
        raise RecordError(exc.message) from exc
    for ref in (*record.skills, record.occupation, record.organisation):
        refused = None if ref is None else _refused_ref(ref)
        if refused is not None:
            raise RecordError(refused)


def _row(platform: Mapping[str, Any], record: MappedRecord, page: str | None) -> dict[str, Any]:
    """A record as the batch statement takes it: compact, names and labels sent once per batch.

    Raises ``RecordError`` when a property breaks its rule (see ``_check``)."""
    props = dict(record.properties)
    for name in _DATE_FIELDS:
        if isinstance(props.get(name), str):
            props[name] = dt.date.fromisoformat(props[name])
    _check(record, props)
    org = record.organisation
    row: dict[str, Any] = {
        "key": record.key,
        "syncKey": f"{platform['id']}:{record.key}",
        "hash": record.content_hash(),
        "page": page,
        "props": props,
        "orgBusinessId": org.business_id if org else None,
        "orgNameKey": name_key(org.name, org.region) if org else None,
        "skills": [[s.uri, s.essential] for s in record.skills],
        "occupation": record.occupation.uri if record.occupation else None,
    }
    if record.record_type == "Organisation" and org is not None:
        row["org"] = _org(org.name, org.region, org.kind, org.business_id)
    return row


def _org(name: str, region: str, kind: str, business_id: str | None) -> dict[str, Any]:
    return {"name": name, "region": region, "kind": kind, "label": KIND_LABELS[kind],
            "businessId": business_id, "nameKey": name_key(name, region)}


def _raw_json(raw: Any) -> str:
    return json.dumps(raw, default=str, ensure_ascii=False, sort_keys=True)[:20_000]


def _raw_hash(feed: Connector, raw: Mapping[str, Any], today: str) -> str:
    """sha256 of the raw record's canonical JSON, the connector and the day: a match means the
    mapped record cannot have changed, so an unchanged-heavy re-sync need not map it at all.
    (The day is in it because mapping reads the date, e.g. a posting past validThrough.)"""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(f"{feed.name}|{today}|{text}".encode()).hexdigest()


def _terms(mapped: Sequence[MappedRecord]) -> dict[str, list[dict[str, Any]]]:
    """The organisations, skills and occupations a batch names, each once."""
    orgs: dict[str, dict[str, Any]] = {}
    skills: dict[str, dict[str, Any]] = {}
    occupations: dict[str, dict[str, Any]] = {}
    for record in mapped:
        org = record.organisation
        if org is not None:
            ref = _org(org.name, org.region, org.kind, org.business_id)
            orgs.setdefault(ref["businessId"] or ref["nameKey"], ref)
        for term in record.skills:
            skills.setdefault(term.uri, {"uri": term.uri, "name": term.name})
        if record.occupation is not None:
            occupations.setdefault(record.occupation.uri, {"uri": record.occupation.uri,
                                                           "name": record.occupation.name})
    return {"orgs": list(orgs.values()), "skills": list(skills.values()),
            "occupations": list(occupations.values())}


def apply_batch(graph: Graph, platform: Mapping[str, Any], feed: Connector, run_id: str,
                lease: int, raws: Sequence[Any], *, page: str | None = None, cursor: Any = None,
                validators: Mapping[str, Any] | None = None,
                unchanged_pages: Sequence[str] = (), not_modified: int = 0) -> dict[str, int]:
    """Map one batch and write it in one transaction; bad records (unmappable, or breaking a
    property's rule) go to quarantine instead.

    Unchanged records are found first by raw hash (no mapping), then by mapped hash, so only
    new and changed records travel to the write statement.
    """
    quarantine: list[dict[str, Any]] = []
    seen: list[str] = []
    granted = feed.record_type in (platform.get("allowedRecordTypes") or [])
    by_org = feed.record_type == "Organisation"

    def lookup(key: str) -> str:
        return key if by_org else f"{platform['id']}:{key}"

    def refuse(raw: Any, key: str | None, exc: Exception) -> None:
        reason = str(exc) if isinstance(exc, RecordError) else f"malformed record: {exc!r}"
        quarantine.append({"key": key, "reason": reason, "raw": _raw_json(raw)})
        if key is not None and granted:
            seen.append(key)  # still in the feed, so not withdrawn; its last good copy stays

    today = dt.date.today().isoformat()
    candidates: dict[str, tuple[Mapping[str, Any], str]] = {}
    for raw in raws:
        key: str | None = None
        try:
            if not isinstance(raw, Mapping):
                raise RecordError(f"a record must be an object, got {type(raw).__name__}")
            key = feed.key(raw)
            if not granted:
                raise RecordError(f"platform {platform['name']} is not granted record type "
                                  f"{feed.record_type}")
            candidates[key] = (raw, _raw_hash(feed, raw, today))  # a key twice: last wins
        except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
            refuse(raw, key, exc)
    same_raw = repo.unchanged_keys(graph, feed.record_type, platform["id"], [
        {"k": lookup(k), "h": h} for k, (_, h) in candidates.items()], "rawHash") \
        if candidates else set()
    rows: dict[str, dict[str, Any]] = {}
    mapped: list[MappedRecord] = []
    failed = 0
    for key, (raw, raw_hash) in candidates.items():
        seen.append(key)
        if lookup(key) in same_raw:
            continue
        try:
            record = feed.map(raw)
            row = _row(platform, record, page)
        except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
            seen.pop()
            refuse(raw, key, exc)
            failed += 1
            continue
        rows[key] = {**row, "rawHash": raw_hash}
        mapped.append(record)
    same = repo.unchanged_keys(graph, feed.record_type, platform["id"], [
        {"k": lookup(k), "h": row["hash"]} for k, row in rows.items()], "hash") \
        if rows else set()
    changed = [row for key, row in rows.items() if lookup(key) not in same]
    params = {
        "platformId": platform["id"], "runId": run_id, "lease": lease, "now": _now(),
        "rows": changed, **_terms(mapped if changed else []),
        "preUnchanged": len(candidates) - failed - len(changed), "quarantine": quarantine,
        "seenKeys": seen, "unchangedPages": list(unchanged_pages), "seen": len(raws),
        "notModified": not_modified, "cursor": json.dumps(cursor),
        "validators": json.dumps(validators or {}),
    }
    counts = repo.write_batch(graph, feed.record_type, params)
    if counts is None:
        raise LeaseLost(f"sync run {run_id} was taken over by another worker")
    return counts


def _http(graph: Graph, platform: Mapping[str, Any], feed: Connector, run: dict[str, Any],
          options: SyncOptions) -> None:
    fetcher = options.fetcher or HttpFetcher()
    known: dict[str, Any] = json.loads(run["stateValidators"] or "{}")
    found: dict[str, Any] = json.loads(run["validators"] or "{}")
    cursor = json.loads(run["cursor"]) if run["cursor"] else {"url": platform["location"],
                                                              "offset": 0}
    while cursor["url"]:
        url, offset = cursor["url"], int(cursor.get("offset", 0))
        page = fetcher.fetch(url, feed.format, None if offset else known.get(url))
        if page.not_modified:
            next_url = known.get(url, {}).get("next")
            found[url] = known.get(url, {})
            cursor = {"url": next_url, "offset": 0}
            apply_batch(graph, platform, feed, run["id"], run["lease"], [], cursor=cursor,
                        validators=found, unchanged_pages=[url], not_modified=1)
            continue
        found[url] = {"etag": page.etag, "lastModified": page.last_modified,
                      "next": page.next_url}
        items = page.items
        if offset >= len(items):  # resumed at the end of a page
            cursor = {"url": page.next_url, "offset": 0}
            apply_batch(graph, platform, feed, run["id"], run["lease"], [], cursor=cursor,
                        validators=found)
            continue
        for start in range(offset, len(items), options.batch_size):
            end = min(len(items), start + options.batch_size)
            cursor = ({"url": url, "offset": end} if end < len(items)
                      else {"url": page.next_url, "offset": 0})
            apply_batch(graph, platform, feed, run["id"], run["lease"], items[start:end], page=url,
                        cursor=cursor, validators=found)


def _file(graph: Graph, platform: Mapping[str, Any], feed: Connector, run: dict[str, Any],
          options: SyncOptions) -> None:
    items, _digest = read_file(platform["location"], feed.format)
    cursor = json.loads(run["cursor"]) if run["cursor"] else {"offset": 0}
    for start in range(int(cursor["offset"]), len(items), options.batch_size):
        end = min(len(items), start + options.batch_size)
        apply_batch(graph, platform, feed, run["id"], run["lease"], items[start:end],
                    cursor={"offset": end})


def _withdraw_unseen(graph: Graph, platform_id: str, run_id: str) -> int:
    seen, unchanged_pages = repo.seen_in_run(graph, run_id)
    gone = [key for key, page in repo.live_keys(graph, platform_id)
            if key not in seen and page not in unchanged_pages]
    return repo.withdraw(graph, platform_id, gone, _now()) if gone else 0


def _finish(graph: Graph, run_id: str, lease: int, status: str, withdrawn: int,
            error: str | None) -> dict[str, Any]:
    finished = repo.finish_run(graph, run_id, {"status": status, "now": _now(), "lease": lease,
                                               "withdrawn": withdrawn, "error": error})
    if finished is None:
        raise LeaseLost(f"sync run {run_id} was taken over by another worker")
    return finished


def run_sync(graph: Graph, run_id: str, lease: int = 1, options: SyncOptions | None = None
             ) -> dict[str, Any]:
    """Run (or resume) one sync run to the end under its lease; returns the run's log."""
    options = options or SyncOptions()
    run = repo.claim_run(graph, run_id, lease, _now())
    if run is None:
        log.info("sync run %s lease %s is gone or taken over; nothing to do", run_id, lease)
        return {"id": run_id, "status": "SUPERSEDED"}
    if run["status"] != "RUNNING":
        return run  # already finished: a duplicate delivery changes nothing
    platform = repo.platform(graph, id=run["platformId"])
    if platform is None:
        raise NotFound(f"the platform of run {run_id} is gone", ids=[run_id])
    feed = connector_named(platform["connector"])
    try:
        if platform["transport"] == Transport.HTTP.value:
            _http(graph, platform, feed, run, options)
        elif platform["transport"] == Transport.FILE.value:
            _file(graph, platform, feed, run, options)
        withdrawn = _withdraw_unseen(graph, platform["id"], run_id)
    except LeaseLost:
        log.warning("sync run %s was taken over; this worker stops", run_id)
        return {"id": run_id, "status": "SUPERSEDED"}
    except (FetchError, OSError) as exc:
        log.warning("sync run %s of %s failed: %s", run_id, platform["name"], exc)
        return _finish(graph, run_id, lease, "FAILED", 0, str(exc))
    finished = _finish(graph, run_id, lease, "SUCCEEDED", withdrawn, None)
    log.info("sync run %s of %s: %s", run_id, platform["name"],
             {k: finished[k] for k in ("seen", "created", "updated", "unchanged", "withdrawn",
                                       "quarantined", "durationMs")})
    return finished


def ingest_pushed(graph: Graph, platform: str, records: Sequence[Any]) -> dict[str, Any]:
    """Records a WEBHOOK platform pushed: applied as one run, never withdrawing anything."""
    found = repo.platform(graph, name=platform, id=platform)
    if found is None:
        raise NotFound(f"no partner platform {platform!r}", ids=[platform])
    if found["transport"] != Transport.WEBHOOK.value:
        raise BadInput(f"{found['name']} is not a WEBHOOK platform", field="platform")
    if len(records) > 10 * BATCH_SIZE:
        raise BadInput(f"push at most {10 * BATCH_SIZE} records at a time", field="records")
    run, start = open_run(graph, found["name"], trigger="PUSH")
    if not start:
        raise Conflict(f"{found['name']} is already being written (run {run['id']})")
    claimed = repo.claim_run(graph, run["id"], run["lease"], _now())
    assert claimed is not None
    feed = connector_named(found["connector"])
    for start_at in range(0, len(records), BATCH_SIZE):
        apply_batch(graph, found, feed, run["id"], run["lease"],
                    records[start_at:start_at + BATCH_SIZE],
                    cursor={"offset": start_at + BATCH_SIZE})
    return _finish(graph, run["id"], run["lease"], "SUCCEEDED", 0, None)


def get_run(graph: Graph, run_id: str) -> dict[str, Any]:
    run = repo.run_by_id(graph, run_id)
    if run is None:
        raise NotFound(f"no sync run {run_id}", ids=[run_id])
    return run


def list_runs(graph: Graph, platform: str | None, first: int) -> list[dict[str, Any]]:
    platform_id = None
    if platform:
        found = repo.platform(graph, name=platform, id=platform)
        if found is None:
            raise NotFound(f"no partner platform {platform!r}", ids=[platform])
        platform_id = found["id"]
    return partner_reads.runs(graph, platform_id, max(1, min(first, 100)))


def list_quarantined(graph: Graph, platform: str | None, run_id: str | None, first: int
                     ) -> list[dict[str, Any]]:
    found = repo.platform(graph, name=platform, id=platform) if platform else None
    if platform and found is None:
        raise NotFound(f"no partner platform {platform!r}", ids=[platform])
    platform_id = found["id"] if found else None
    return partner_reads.quarantined(graph, platform_id, run_id, max(1, min(first, 100)))


def sources(graph: Graph, record_id: str) -> list[dict[str, Any]]:
    found = partner_reads.sources(graph, record_id)
    if found is None:
        raise NotFound(f"no vacancy, course or organisation with id {record_id}",
                       ids=[record_id])
    return found
