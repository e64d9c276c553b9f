"""Syncing a partner feed into the graph: fetch, map, upsert in atomic batches, withdraw the gone.

A run is a ``SyncRun`` node. Its cursor (page URL and offset, or file offset) is written in the
same statement as each batch, so a worker killed mid-run leaves a run whose cursor points just
after the last committed batch; the redelivered task (or the next trigger, once the run's
heartbeat is stale) resumes there. Upserts are keyed and hash-checked, so replaying is harmless.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from civicgraph.core import metrics
from civicgraph.core.errors import BadInput, Conflict, NotFound
from civicgraph.core.graph import Graph
from civicgraph.core.tasks import TaskQueue
from partners.connectors.contract import Transport
from partners.connectors.registry import connector as connector_named
from partners.cypher import platforms as platform_repo
from partners.cypher import reads as partner_reads
from partners.cypher import runs as run_repo
from partners.cypher import sync as repo
from partners.service.batches import LeaseLost, RunBatches
from partners.service.batches import now as _now
from partners.sources import FetchError, HttpFetcher, read_file

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
"""Records read (and sorted into unchanged, refused, new and changed) per step."""
WRITE_SIZE = 2000
"""New or changed records per write statement. Measured by Neo4j's CPU per new posting (its
process's utime+stime, 20k-posting syncs interleaved, 1 GB heap): 2,000 took about 15% less
than 5,000 (median 365 against 430 µs over six runs each; 1,000 no better than 2,000), since
nearly half of that CPU is the garbage collector's and a bigger transaction keeps more of its
state alive; per statement alone, 2,000 took half the CPU per record of 5,000."""
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
PUSH_STALE_AFTER = dt.timedelta(seconds=60)
"""A push's run lives only as long as its request, which writes the heartbeat with every batch
(at most ten): a push run not heard from for this long was left by a request that died (its web
worker killed, Neo4j restarted under it). The next push, or beat's check, closes it FAILED; until
then a push answers 409, as it must while another push of the same feed is really writing."""


@dataclass
class SyncOptions:
    batch_size: int = BATCH_SIZE
    write_size: int = WRITE_SIZE
    fetcher: HttpFetcher | None = None


def open_run(graph: Graph, platform: str, trigger: str = "MANUAL",
             stale_after: dt.timedelta = STALE_AFTER) -> tuple[dict[str, Any], bool]:
    """(run, start): a new run, or a crashed one to resume, or the live one (start False)."""
    found = platform_repo.platform(graph, name=platform, id=platform)
    if found is None:
        raise NotFound(f"no partner platform {platform!r}", ids=[platform])
    now = _now()
    return run_repo.open_run(graph, found["id"], trigger, now, now - stale_after)


def request_sync(graph: Graph, queue: TaskQueue, platform: str, trigger: str = "MANUAL",
                 stale_after: dt.timedelta = STALE_AFTER) -> dict[str, Any]:
    """Hand a run to a worker: a new one, or the crashed one to resume from its cursor.

    While a run is alive (its heartbeat is recent) asking again returns that run unchanged.
    """
    found = platform_repo.platform(graph, name=platform, id=platform)
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
    wanted = [(name, "SCHEDULE", STALE_AFTER) for name in platform_repo.due_platforms(graph, now)]
    for name, status in run_repo.stalled_runs(graph, now - RESUME_AFTER):
        found = platform_repo.platform(graph, name=name, id=name)
        if found is not None and found["transport"] == Transport.WEBHOOK.value:
            _close_dead_push(graph, found)  # nothing to fetch: a dead push's run just ends
        else:
            wanted.append((name, "RESUME", RESUME_AFTER if status == "RUNNING" else STALE_AFTER))
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


def _http(sync: RunBatches, run: dict[str, Any], options: SyncOptions) -> None:
    """Page through the feed; each page ends in a write (its cursor is the next page), so a
    resumed run never fetches a committed page again."""
    fetcher = options.fetcher or HttpFetcher()
    known: dict[str, Any] = json.loads(run["stateValidators"] or "{}")
    found: dict[str, Any] = json.loads(run["validators"] or "{}")
    cursor = json.loads(run["cursor"]) if run["cursor"] else {"url": sync.platform["location"],
                                                              "offset": 0}
    while cursor["url"]:
        url, offset = cursor["url"], int(cursor.get("offset", 0))
        # A write in flight is the heartbeat (and must not wait behind this one's lock).
        if not sync.writing and not run_repo.heartbeat(sync.graph, sync.run_id, sync.lease, _now()):
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


def _file(sync: RunBatches, run: dict[str, Any], options: SyncOptions) -> None:
    """Read the drop in steps; write whenever enough new or changed records wait, and record
    the keys seen at least every ``CHECKPOINT_EVERY`` records (a resumed run needs them). The
    run's cursor is left at the drop's end by the last write, so a closing write with nothing
    in it is not sent (it waited its turn behind the last batch: a serial tail)."""
    with collector_paused():
        items, _digest = read_file(sync.platform["location"], sync.feed.format)
    _keep_out_of_gc(sync)
    cursor = json.loads(run["cursor"]) if run["cursor"] else {"offset": 0}
    start = written = int(cursor["offset"])
    while start < len(items):
        # Steps no longer than the next write wants, so the small first write starts early.
        end = min(len(items), start + min(options.batch_size, sync.wanted))
        sync.add(items[start:end])
        start = end
        if sync.pending >= sync.wanted or len(sync.seen_keys) >= CHECKPOINT_EVERY:
            sync.flush({"offset": end})
            written = end
    if written < len(items) or not items:  # a write at the drop's end left nothing over
        sync.flush({"offset": len(items)})


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a run builds what it keeps for the whole run (the
    parsed drop, the platform's known keys): they are trees and tuples without cycles, yet the
    collections their allocation set off walked every object alive, again and again (the 20 MB
    drop of 20k postings parsed in about 165 ms of CPU with the collector paused, 265 ms with
    it running, measured). Left as it was when something else paused it already."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _keep_out_of_gc(sync: RunBatches) -> None:
    """Move what is alive now (the parsed drop, the platform's known keys) out of the cyclic
    garbage collector's sight until the run ends. They live for the whole run and hold no
    cycles, yet each of the collector's passes as the run allocates walked all of them again:
    measured about 40 of 200 µs of Python CPU per new record on a 20k drop. Not done when
    something else in the process froze objects already (a preloading server): its unfreeze
    is not ours to undo."""
    if not sync.frozen and gc.get_freeze_count() == 0:
        gc.freeze()
        sync.frozen = True


def _withdraw_unseen(sync: RunBatches) -> int:
    """One statement over the keys this platform has live and the run did not see (the keys
    of pages answered 304 count as seen)."""
    gone = [(key, edge) for key, (_hash, _raw, live, page, edge) in sync.known.items()
            if live and key not in sync.seen and page not in sync.unchanged_pages]
    return repo.withdraw(sync.graph, sync.platform["id"], gone, _now()) if gone else 0


def _finish(graph: Graph, run_id: str, lease: int, status: str, withdrawn: int,
            error: str | None) -> dict[str, Any]:
    """Close the run under its lease and count it in the metrics: every way a run ends
    (SUCCEEDED, PARTIAL, FAILED, a push) comes through here, so /metrics misses none."""
    finished = run_repo.finish_run(graph, run_id, {"status": status, "now": _now(), "lease": lease,
                                               "withdrawn": withdrawn, "error": error})
    if finished is None:
        raise LeaseLost(f"sync run {run_id} was taken over by another worker")
    metrics.sync_run_finished(
        str(finished.get("platformName") or "-"), status,
        (finished.get("durationMs") or 0) / 1000,
        created=int(finished.get("created") or 0), updated=int(finished.get("updated") or 0),
        unchanged=int(finished.get("unchanged") or 0),
        quarantined=int(finished.get("quarantined") or 0))
    return finished


def _failed(graph: Graph, run_id: str, lease: int, platform: str, exc: BaseException
            ) -> dict[str, Any]:
    """Close a run that could not go on: FAILED when nothing of it was written, PARTIAL when
    some batches landed (they stay; nothing is withdrawn). Never left RUNNING."""
    log.warning("sync run %s of %s stopped: %s", run_id, platform, exc, exc_info=exc)
    current = run_repo.run_by_id(graph, run_id) or {}
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
    run = run_repo.claim_run(graph, run_id, lease, _now())
    if run is None:
        log.info("sync run %s lease %s is gone or taken over; nothing to do", run_id, lease)
        return {"id": run_id, "status": "SUPERSEDED"}
    if run["status"] != "RUNNING":
        return run  # already finished: a duplicate delivery changes nothing
    platform = platform_repo.platform(graph, id=run["platformId"])
    if platform is None:
        return _finish(graph, run_id, lease, "FAILED", 0, "the run's platform is gone")
    sync: RunBatches | None = None
    try:
        feed = connector_named(platform["connector"])
        with collector_paused():
            sync = RunBatches(graph, platform, feed, run, options.write_size)
        if platform["transport"] == Transport.HTTP.value:
            _http(sync, run, options)
        elif platform["transport"] == Transport.FILE.value:
            _file(sync, run, options)
        sync.wait()
        withdrawn = _withdraw_unseen(sync)
    except LeaseLost:
        log.warning("sync run %s was taken over; this worker stops", run_id)
        return {"id": run_id, "status": "SUPERSEDED"}
    except Exception as exc:  # whatever stopped it, the run says so and ends
        if sync is not None:
            sync.close()
        try:
            return _failed(graph, run_id, lease, platform["name"], exc)
        except LeaseLost:
            return {"id": run_id, "status": "SUPERSEDED"}
    finally:
        if sync is not None:
            sync.close()
            if sync.frozen:
                gc.unfreeze()
    finished = _finish(graph, run_id, lease, "SUCCEEDED", withdrawn, None)
    log.info("sync run %s of %s: %s", run_id, platform["name"],
             {k: finished[k] for k in ("seen", "created", "updated", "unchanged", "withdrawn",
                                       "quarantined", "duplicates", "durationMs")})
    return finished


def ingest_pushed(graph: Graph, platform: str, records: Sequence[Any]) -> dict[str, Any]:
    """Records a WEBHOOK platform pushed: applied as one run, never withdrawing anything."""
    found = platform_repo.platform(graph, name=platform, id=platform)
    if found is None:
        raise NotFound(f"no partner platform {platform!r}", ids=[platform])
    if found["transport"] != Transport.WEBHOOK.value:
        raise BadInput(f"{found['name']} is not a WEBHOOK platform", field="platform")
    if len(records) > 10 * BATCH_SIZE:
        raise BadInput(f"push at most {10 * BATCH_SIZE} records at a time", field="records")
    run, start = open_run(graph, found["name"], trigger="PUSH", stale_after=PUSH_STALE_AFTER)
    if start and run["lease"] > 1:
        # A dead push's run, just taken over under a new lease (a new run has lease 1): its
        # records are not ours to finish. Close it, then open this push's own run.
        _end_dead_push(graph, run)
        run, start = open_run(graph, found["name"], trigger="PUSH",
                              stale_after=PUSH_STALE_AFTER)
    if not start:
        raise Conflict(f"{found['name']} is already being written (run {run['id']})")
    claimed = run_repo.claim_run(graph, run["id"], run["lease"], _now())
    assert claimed is not None
    sync: RunBatches | None = None
    try:
        sync = RunBatches(graph, found, connector_named(found["connector"]), claimed, BATCH_SIZE)
        for start_at in range(0, len(records), BATCH_SIZE):
            sync.add(records[start_at:start_at + BATCH_SIZE])
            sync.flush({"offset": start_at + BATCH_SIZE})
        sync.wait()
    except Exception as exc:  # the run ends, so the next push is not refused
        if sync is not None:
            sync.close()
        return _failed(graph, run["id"], run["lease"], found["name"], exc)
    finally:
        if sync is not None:
            sync.close()
    return _finish(graph, run["id"], run["lease"], "SUCCEEDED", 0, None)


def _end_dead_push(graph: Graph, run: dict[str, Any]) -> None:
    """Close a push's run whose request died; what its batches wrote stays (PARTIAL)."""
    with contextlib.suppress(LeaseLost):  # another push or beat took it over and closes it
        _failed(graph, run["id"], run["lease"], str(run["platformName"]), RuntimeError(
            "the push that opened this run ended without closing it (its request was cut "
            "off: web worker killed or the database restarted under it)"))


def _close_dead_push(graph: Graph, platform: dict[str, Any]) -> None:
    """Beat's part: take over a WEBHOOK platform's silent open run, if there still is one, and
    end it, so a feed that is not pushed to again does not keep a run open for ever."""
    now = _now()
    run = run_repo.take_over_stale(graph, platform["id"], now, now - PUSH_STALE_AFTER)
    if run is not None:
        _end_dead_push(graph, run)


def get_run(graph: Graph, run_id: str) -> dict[str, Any]:
    run = run_repo.run_by_id(graph, run_id)
    if run is None:
        raise NotFound(f"no sync run {run_id}", ids=[run_id])
    return run


def list_runs(graph: Graph, platform: str | None, first: int) -> list[dict[str, Any]]:
    platform_id = None
    if platform:
        found = platform_repo.platform(graph, name=platform, id=platform)
        if found is None:
            raise NotFound(f"no partner platform {platform!r}", ids=[platform])
        platform_id = found["id"]
    return partner_reads.runs(graph, platform_id, max(1, min(first, 100)))


def list_quarantined(graph: Graph, platform: str | None, run_id: str | None, first: int
                     ) -> list[dict[str, Any]]:
    found = platform_repo.platform(graph, name=platform, id=platform) if platform else None
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
