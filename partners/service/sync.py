"""Syncing a partner feed into the graph: fetch, map, upsert in atomic batches, withdraw the gone.

A run is a ``SyncRun`` node. Its cursor (page URL and offset, or file offset) is written in the
same statement as each batch, so a worker killed mid-run leaves a run whose cursor points just
after the last committed batch; the redelivered task (or the next trigger, once the run's
heartbeat is stale) resumes there. Upserts are keyed and hash-checked, so replaying is harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import Neo4jError, TransientError

from civicgraph.core.errors import BadInput, Conflict, NotFound
from civicgraph.core.graph import Graph
from civicgraph.core.tasks import TaskQueue
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key
from partners.connectors.contract import Connector, MappedRecord, RecordError, Transport
from partners.connectors.registry import connector as connector_named
from partners.cypher import reads as partner_reads
from partners.cypher import sync as repo
from partners.service import checks
from partners.sources import FetchError, HttpFetcher, read_file

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
"""Records read per step, and the default number of new or changed records per write."""
WRITE_SIZE = 2000
CHECKPOINT_EVERY = 20_000
"""At most this many keys seen (unchanged ones too) wait before the run records them."""
# The worker task that runs run_sync (partners.tasks) is sent by this name.
SYNC_PARTNER_FEED = "civicgraph.partners.sync"
STALE_AFTER = dt.timedelta(minutes=10)
"""A run not heard from for this long is presumed dead when anyone asks for a sync."""
RESUME_AFTER = dt.timedelta(seconds=90)
"""A RUNNING run not heard from for this long is resumed by beat's check. A live worker writes
its heartbeat with every batch and before every page it fetches; one taken over by mistake is
fenced off by the lease and stops."""


@dataclass
class SyncOptions:
    batch_size: int = BATCH_SIZE
    write_size: int = WRITE_SIZE
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
        try:
            queue.enqueue(SYNC_PARTNER_FEED, run_id=run["id"], lease=run["lease"])
        except Exception as exc:
            # No worker will ever run it: close it now, or it would block the next attempt
            # until it went stale. The caller still hears why.
            _failed(graph, run["id"], run["lease"], platform,
                    RuntimeError(f"the run could not be handed to a worker: {exc}"))
            raise
    return run


def sync_now(graph: Graph, platform: str, trigger: str = "MANUAL",
             options: SyncOptions | None = None) -> dict[str, Any]:
    """Run a sync in this process (the CLI, the demo); refused while another one is alive."""
    run, start = open_run(graph, platform, trigger)
    if not start:
        raise Conflict(f"a sync of {platform} is already running (run {run['id']})")
    return run_sync(graph, run["id"], run["lease"], options)


def sync_due(graph: Graph, queue: TaskQueue) -> list[str]:
    """Called by beat every minute: start a run for each platform whose schedule is due, and
    resume each run whose worker died (no heartbeat for ``RESUME_AFTER`` while RUNNING, or for
    ``STALE_AFTER`` while QUEUED), under a new lease, so a killed sync goes on by itself within
    a minute or two. A platform that cannot be started is logged and the others still are."""
    now = _now()
    wanted = [(name, "SCHEDULE", STALE_AFTER) for name in repo.due_platforms(graph, now)]
    wanted += [(name, "RESUME", RESUME_AFTER if status == "RUNNING" else STALE_AFTER)
               for name, status in repo.stalled_runs(graph, now - RESUME_AFTER)]
    started: list[str] = []
    for name, trigger, stale_after in wanted:
        try:
            run = request_sync(graph, queue, name, trigger=trigger, stale_after=stale_after)
        except Exception:
            log.exception("could not start the sync of %s", name)
            continue
        if run["id"] not in started:
            started.append(run["id"])
    return started


class _Run:
    """One run's view of its platform, read once, and the work pending since its last write.

    ``known`` (every key this platform synced, with its hashes) is read in one streamed query
    when the run starts, so unchanged records are recognised in memory and never reach the
    database; new and changed records wait in ``creates``/``updates`` until ``flush`` writes
    them, with the run's cursor and bookkeeping, in one statement. Organisations, skills and
    occupations are made once per run (``ensure_terms``), not once per record.
    """

    def __init__(self, graph: Graph, platform: Mapping[str, Any], feed: Connector,
                 run: Mapping[str, Any], write_size: int) -> None:
        self.graph, self.platform, self.feed = graph, platform, feed
        self.run_id, self.lease = str(run["id"]), int(run["lease"])
        self.write_size = max(1, write_size)
        self.granted = feed.record_type in (platform.get("allowedRecordTypes") or [])
        self.known = repo.known_records(graph, platform["id"])
        # Keys an earlier attempt of this run committed (a resumed run must not withdraw them).
        self.seen, self.unchanged_pages = repo.seen_in_run(graph, self.run_id)
        self.today = dt.date.today().isoformat()
        self.orgs: dict[str, str] = {}
        self.terms: set[str] = set()
        self.refused: list[dict[str, Any]] = []  # refused by the database, not yet written
        self._reset()

    def _reset(self) -> None:
        self.creates: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.quarantine: list[dict[str, Any]] = []
        self.seen_keys: list[str] = []
        self.new_terms: dict[str, dict[str, Any]] = {}
        self.counts = {"seen": 0, "unchanged": 0, "duplicates": 0, "warnings": 0}
        self.notes: list[str] = []

    @property
    def pending(self) -> int:
        return len(self.creates) + len(self.updates)

    def _refuse(self, raw: Any, key: str | None, exc: Exception) -> None:
        reason = str(exc) if isinstance(exc, RecordError) else f"malformed record: {exc!r}"
        self.quarantine.append({"key": key, "reason": reason, "raw": _raw_json(raw)})

    def add(self, raws: Sequence[Any], page: str | None = None) -> None:
        """Sort records into unchanged (counted only), refused (quarantined), new and changed."""
        feed = self.feed
        self.counts["seen"] += len(raws)
        for raw in raws:
            key: str | None = None
            try:
                if not isinstance(raw, Mapping):
                    raise RecordError(f"a record must be an object, got {type(raw).__name__}")
                key = checks.key(feed.key(raw))
                if not self.granted:
                    raise RecordError(f"platform {self.platform['name']} is not granted record "
                                      f"type {feed.record_type}")
            except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
                self._refuse(raw, key, exc)
                continue
            if key in self.seen:
                self.counts["duplicates"] += 1
                self._note(f"key {key[:80]!r} appears more than once in the feed; the first "
                           "copy was kept")
                continue
            self.seen.add(key)
            self.seen_keys.append(key)
            raw_hash = checks.raw_hash(feed, self.today, raw)
            known = self.known.get(key)
            if known is not None and known[2] and known[1] == raw_hash:
                self.counts["unchanged"] += 1
                continue
            try:
                record = feed.map(raw)
                checked = checks.record(feed, record)
            except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
                self._refuse(raw, key, exc)  # still in the feed: its last good copy stays
                continue
            content = record.content_hash()
            if known is not None and known[2] and known[0] == content:
                self.counts["unchanged"] += 1
                continue
            for warning in checked.warnings:
                self.counts["warnings"] += 1
                self._note(f"{key[:80]}: {warning}")
            row = self._row(record, checked, content, raw_hash, page)
            (self.creates if known is None else self.updates).append(row)

    def _note(self, text: str) -> None:
        if len(self.notes) < 50:
            self.notes.append(text)
        log.warning("sync run %s: %s", self.run_id, text)

    def _row(self, record: MappedRecord, checked: checks.Checked, content: str, raw_hash: str,
             page: str | None) -> dict[str, Any]:
        org = record.organisation
        row: dict[str, Any] = {
            "key": record.key, "syncKey": f"{self.platform['id']}:{record.key}",
            "hash": content, "rawHash": raw_hash, "page": page, "props": checked.props,
            "warnings": list(checked.warnings) or None,
            "skills": [[s.uri, s.essential] for s in record.skills],
            "occupations": [record.occupation.uri] if record.occupation else [],
        }
        if record.record_type == "Organisation" and org is not None:
            row["org"] = _org(org.name, org.region, org.kind, org.business_id)
            return row
        if org is not None:
            ref = _org(org.name, org.region, org.kind, org.business_id)
            row["orgRef"] = ref["ref"]
            if ref["ref"] not in self.orgs:
                self.new_terms.setdefault("org:" + ref["ref"], ref)
        for term in record.skills:
            if "skill:" + term.uri not in self.terms:
                self.new_terms.setdefault("skill:" + term.uri, {"uri": term.uri,
                                                               "name": term.name})
        occupation = record.occupation
        if occupation is not None and "occupation:" + occupation.uri not in self.terms:
            self.new_terms.setdefault("occupation:" + occupation.uri,
                                      {"uri": occupation.uri, "name": occupation.name})
        return row

    def _ensure_terms(self) -> None:
        if not self.new_terms:
            return
        grouped: dict[str, list[dict[str, Any]]] = {"org": [], "skill": [], "occupation": []}
        for name, term in self.new_terms.items():
            grouped[name.split(":", 1)[0]].append(term)
        self.orgs.update(repo.ensure_terms(self.graph, grouped["org"], grouped["skill"],
                                           grouped["occupation"], _now()))
        self.terms.update(n for n in self.new_terms if not n.startswith("org:"))
        self.new_terms = {}

    def flush(self, cursor: Any, validators: Mapping[str, Any] | None = None,
              unchanged_pages: Sequence[str] = (), not_modified: int = 0) -> dict[str, int]:
        """Write what is pending, with the cursor just after it, in one transaction."""
        self._ensure_terms()
        for row in (*self.creates, *self.updates):
            if "orgRef" in row:
                row["orgId"] = self.orgs.get(row.pop("orgRef"))
        book = {
            "quarantine": self.quarantine, "seenKeys": self.seen_keys,
            "unchangedPages": list(unchanged_pages), "seen": self.counts["seen"],
            "unchanged": self.counts["unchanged"], "duplicates": self.counts["duplicates"],
            "warnings": self.counts["warnings"], "notes": self.notes,
            "notModified": not_modified, "cursor": json.dumps(cursor),
            "validators": json.dumps(validators or {}),
        }
        creates, updates = self.creates, self.updates
        self._reset()
        counts = self._write(creates, updates, book)
        for row in (*creates, *updates):
            if row.get("written"):
                self.known[row["key"]] = (row["hash"], row["rawHash"], True, row["page"])
        return counts

    def _send(self, creates: list[dict[str, Any]], updates: list[dict[str, Any]],
              book: dict[str, Any] | None) -> dict[str, int]:
        params = {"platformId": self.platform["id"], "runId": self.run_id, "lease": self.lease,
                  "now": _now(), "creates": creates, "updates": updates,
                  "orgs": [r["org"] for r in (*creates, *updates) if "org" in r],
                  **(book or _NO_BOOK)}
        counts = repo.write_batch(self.graph, self.feed.record_type, params)
        if counts is None:
            raise LeaseLost(f"sync run {self.run_id} was taken over by another worker")
        for row in (*creates, *updates):
            row["written"] = True
        return counts

    def _write(self, creates: list[dict[str, Any]], updates: list[dict[str, Any]],
               book: dict[str, Any] | None) -> dict[str, int]:
        """Send a batch; one the database refuses is split in halves until the record it
        refuses is found and quarantined with the database's reason, and the rest lands.

        Halves before the last go without the bookkeeping, which travels with the last one."""
        try:
            return self._send(creates, updates, book)
        except Neo4jError as exc:
            if isinstance(exc, TransientError) or not (creates or updates):
                raise
            refusal = exc
        if len(creates) + len(updates) == 1:
            row = (creates or updates)[0]
            log.warning("sync run %s: the database refused record %s: %s", self.run_id,
                        row["key"], refusal.message)
            self.refused.append({"key": row["key"], "raw": _raw_json(row["props"]),
                                 "reason": f"the database refused the record: "
                                           f"{refusal.message or refusal.code}"})
            if book is None:
                return {"created": 0, "updated": 0, "unchanged": 0}
            book["quarantine"] = [*book["quarantine"], *self.refused]
            self.refused = []
            return self._send([], [], book)
        half_c, half_u = len(creates) // 2, len(updates) // 2
        if not half_c and not half_u:  # one on each side
            half_c = len(creates)
        first = self._write(creates[:half_c], updates[:half_u], None)
        if book is not None and self.refused:
            book["quarantine"] = [*book["quarantine"], *self.refused]
            self.refused = []
        second = self._write(creates[half_c:], updates[half_u:], book)
        return {k: first[k] + second[k] for k in first}


_NO_BOOK: dict[str, Any] = {
    "quarantine": [], "seenKeys": [], "unchangedPages": [], "seen": 0, "unchanged": 0,
    "duplicates": 0, "warnings": 0, "notes": [], "notModified": 0, "cursor": None,
    "validators": None,
}


def _org(name: str, region: str, kind: str, business_id: str | None) -> dict[str, Any]:
    key = name_key(name, region)
    return {"name": name, "region": region, "kind": kind, "label": KIND_LABELS[kind],
            "businessId": business_id, "nameKey": key, "ref": business_id or key}


def _raw_json(raw: Any) -> str:
    return json.dumps(raw, default=str, ensure_ascii=False, sort_keys=True)[:20_000]


def _http(sync: _Run, run: dict[str, Any], options: SyncOptions) -> None:
    """Page through the feed; each page ends in a write (its cursor is the next page), so a
    resumed run never fetches a committed page again."""
    fetcher = options.fetcher or HttpFetcher()
    known: dict[str, Any] = json.loads(run["stateValidators"] or "{}")
    found: dict[str, Any] = json.loads(run["validators"] or "{}")
    cursor = json.loads(run["cursor"]) if run["cursor"] else {"url": sync.platform["location"],
                                                              "offset": 0}
    while cursor["url"]:
        url, offset = cursor["url"], int(cursor.get("offset", 0))
        if not repo.heartbeat(sync.graph, sync.run_id, sync.lease, _now()):
            raise LeaseLost(f"sync run {sync.run_id} was taken over by another worker")
        page = fetcher.fetch(url, sync.feed.format, None if offset else known.get(url))
        if page.not_modified:
            found[url] = known.get(url, {})
            cursor = {"url": known.get(url, {}).get("next"), "offset": 0}
            sync.unchanged_pages.add(url)
            sync.flush(cursor, found, unchanged_pages=[url], not_modified=1)
            continue
        found[url] = {"etag": page.etag, "lastModified": page.last_modified,
                      "next": page.next_url}
        items = page.items
        for start in range(offset, max(offset, len(items)), options.batch_size):
            end = min(len(items), start + options.batch_size)
            sync.add(items[start:end], page=url)
            if end < len(items) and sync.pending >= sync.write_size:
                sync.flush({"url": url, "offset": end}, found)
        sync.flush({"url": page.next_url, "offset": 0}, found)
        cursor = {"url": page.next_url, "offset": 0}


def _file(sync: _Run, run: dict[str, Any], options: SyncOptions) -> None:
    """Read the drop in steps; write whenever enough new or changed records wait, and record
    the keys seen at least every ``CHECKPOINT_EVERY`` records (a resumed run needs them)."""
    items, _digest = read_file(sync.platform["location"], sync.feed.format)
    cursor = json.loads(run["cursor"]) if run["cursor"] else {"offset": 0}
    offset = int(cursor["offset"])
    for start in range(offset, len(items), options.batch_size):
        end = min(len(items), start + options.batch_size)
        sync.add(items[start:end])
        if sync.pending >= sync.write_size or len(sync.seen_keys) >= CHECKPOINT_EVERY:
            sync.flush({"offset": end})
    sync.flush({"offset": len(items)})


def _withdraw_unseen(sync: _Run) -> int:
    """One statement over the keys this platform has live and the run did not see (the keys
    of pages answered 304 count as seen)."""
    gone = [key for key, (_hash, _raw, live, page) in sync.known.items()
            if live and key not in sync.seen and page not in sync.unchanged_pages]
    return repo.withdraw(sync.graph, sync.platform["id"], gone, _now()) if gone else 0


def _finish(graph: Graph, run_id: str, lease: int, status: str, withdrawn: int,
            error: str | None) -> dict[str, Any]:
    finished = repo.finish_run(graph, run_id, {"status": status, "now": _now(), "lease": lease,
                                               "withdrawn": withdrawn, "error": error})
    if finished is None:
        raise LeaseLost(f"sync run {run_id} was taken over by another worker")
    return finished


def _failed(graph: Graph, run_id: str, lease: int, platform: str, exc: BaseException
            ) -> dict[str, Any]:
    """Close a run that could not go on: FAILED when nothing of it was written, PARTIAL when
    some batches landed (they stay; nothing is withdrawn). Never left RUNNING."""
    log.warning("sync run %s of %s stopped: %s", run_id, platform, exc, exc_info=exc)
    current = repo.run_by_id(graph, run_id) or {}
    wrote = any(current.get(k) for k in ("created", "updated", "quarantined"))
    reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, FetchError | OSError) \
        else str(exc)
    return _finish(graph, run_id, lease, "PARTIAL" if wrote else "FAILED", 0, reason[:2000])


def run_sync(graph: Graph, run_id: str, lease: int = 1, options: SyncOptions | None = None
             ) -> dict[str, Any]:
    """Run (or resume) one sync run to the end under its lease; returns the run's log.

    Whatever goes wrong, the run ends SUCCEEDED, PARTIAL or FAILED with its reason (or is
    superseded by the worker that took it over): never RUNNING with no error."""
    options = options or SyncOptions()
    run = repo.claim_run(graph, run_id, lease, _now())
    if run is None:
        log.info("sync run %s lease %s is gone or taken over; nothing to do", run_id, lease)
        return {"id": run_id, "status": "SUPERSEDED"}
    if run["status"] != "RUNNING":
        return run  # already finished: a duplicate delivery changes nothing
    platform = repo.platform(graph, id=run["platformId"])
    if platform is None:
        return _finish(graph, run_id, lease, "FAILED", 0, "the run's platform is gone")
    try:
        feed = connector_named(platform["connector"])
        sync = _Run(graph, platform, feed, run, options.write_size)
        if platform["transport"] == Transport.HTTP.value:
            _http(sync, run, options)
        elif platform["transport"] == Transport.FILE.value:
            _file(sync, run, options)
        withdrawn = _withdraw_unseen(sync)
    except LeaseLost:
        log.warning("sync run %s was taken over; this worker stops", run_id)
        return {"id": run_id, "status": "SUPERSEDED"}
    except Exception as exc:  # whatever stopped it, the run says so and ends
        try:
            return _failed(graph, run_id, lease, platform["name"], exc)
        except LeaseLost:
            return {"id": run_id, "status": "SUPERSEDED"}
    finished = _finish(graph, run_id, lease, "SUCCEEDED", withdrawn, None)
    log.info("sync run %s of %s: %s", run_id, platform["name"],
             {k: finished[k] for k in ("seen", "created", "updated", "unchanged", "withdrawn",
                                       "quarantined", "duplicates", "durationMs")})
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
    try:
        sync = _Run(graph, found, connector_named(found["connector"]), claimed, BATCH_SIZE)
        for start_at in range(0, len(records), BATCH_SIZE):
            sync.add(records[start_at:start_at + BATCH_SIZE])
            sync.flush({"offset": start_at + BATCH_SIZE})
    except Exception as exc:  # the run ends, so the next push is not refused
        return _failed(graph, run["id"], run["lease"], found["name"], exc)
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
