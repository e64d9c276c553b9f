"""A sync run's batches: what the run knows of its platform, and the writes it sends.

``RunBatches`` reads the platform's keys and hashes once per run, sorts each record it is given
into unchanged (counted in memory, never sent), refused (quarantined with the reason), new or
changed (written in one statement per batch with the run's cursor and bookkeeping), and splits a
batch the database refuses until the record it refuses is found.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from neo4j.exceptions import Neo4jError, TransientError

from civicgraph.core.graph import Graph
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key
from partners.connectors.contract import Connector, MappedRecord, OrgRef, RecordError
from partners.cypher import sync as repo
from partners.service import checks

log = logging.getLogger(__name__)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


IN_FLIGHT = 2
"""Batch writes of one run in flight at once (vacancies and courses)."""
FIRST_WRITE = 200
"""New or changed records in a run's first write, which goes alone (see ``RunBatches.flush``):
enough to make the platform a dense node (Neo4j's threshold is 50 relationships), few enough
that the second write does not wait long. A full first write kept the other writer idle for
the whole of it, about a tenth of a 20k-posting sync."""


class LeaseLost(RuntimeError):
    """Another worker took the run over (this one was presumed dead): stop without writing."""


class RunBatches:
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
        # Writes in flight while the next records are read and mapped (see ``flush``): two for
        # vacancies and courses, one for organisations (two batches could both make the same
        # organisation, and the second would be refused by its key).
        self.in_flight = 1 if feed.record_type == "Organisation" else IN_FLIGHT
        self._writer = ThreadPoolExecutor(max_workers=self.in_flight,
                                          thread_name_prefix="sync-write")
        self._inflight: deque[Future[dict[str, int]]] = deque()
        # How many batches carrying the run's progress were handed out (an earlier attempt's
        # committed ones included): the next one's turn.
        self._turns = int(run.get("batches") or 0)
        self._committed = threading.Event()  # set once a batch of this attempt has committed
        self._handed = 0  # writes this attempt handed to the writer
        self.frozen = False  # whether the run moved its long-lived objects out of the GC's sight
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

    @property
    def wanted(self) -> int:
        """New or changed records the next write takes: a few for the attempt's first, which
        goes alone (see ``FIRST_WRITE``), ``write_size`` for the others."""
        return min(self.write_size, FIRST_WRITE) if not self._handed else self.write_size

    def _refuse(self, raw: Any, key: str | None, exc: Exception) -> None:
        reason = str(exc) if isinstance(exc, RecordError) else f"malformed record: {exc!r}"
        self.quarantine.append({"key": key, "reason": reason[:1000], "raw": _raw_json(raw)})

    def add(self, raws: Sequence[Any], page: str | None = None) -> None:
        """Sort records into unchanged (counted only), refused (quarantined), new and changed."""
        feed = self.feed
        self.counts["seen"] += len(raws)
        for raw in raws:
            key: str | None = None
            known: repo.Known | None = None
            try:
                if not isinstance(raw, Mapping):
                    raise RecordError(f"a record must be an object, got {type(raw).__name__}")
                key = feed.key(raw)
                # A key this platform already stored was checked when it was stored.
                known = self.known.get(key)
                if known is None:
                    key = checks.key(key)
                    known = self.known.get(key)
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
            row["org"] = _org(org)
            return row
        if org is not None:
            ref = _org(org)
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
                                           grouped["occupation"], now()))
        self.terms.update(n for n in self.new_terms if not n.startswith("org:"))
        self.new_terms = {}

    @property
    def writing(self) -> bool:
        return any(not f.done() for f in self._inflight)

    def wait(self, keep: int = 0) -> None:
        """Until at most ``keep`` writes are in flight (all of them committed, with 0); raises
        what the oldest raised (LeaseLost, ...)."""
        while len(self._inflight) > keep:
            self._inflight.popleft().result()

    def close(self) -> None:
        """Let the write in flight end (whatever it raises) before the run is closed."""
        with contextlib.suppress(Exception):
            self.wait()
        self._writer.shutdown(wait=True)

    def flush(self, cursor: Any, validators: Mapping[str, Any] | None = None,
              unchanged_pages: Sequence[str] = (), not_modified: int = 0) -> None:
        """Hand what is pending, with the cursor just after it, to the writer: one transaction.

        The write runs on its own thread (and session) while this one reads and maps the next
        records. Up to ``in_flight`` writes run at once, each on its own session: their keys
        cannot collide (a key is taken once per run), and each commits only in its turn (see
        ``partners.cypher.sync._BOOKKEEPING``), so batches commit in feed order and the cursor
        never passes a batch that did not commit. The first batch of a run goes alone: it is
        the one that makes the platform a dense node, which two transactions then link to
        under shared locks rather than queueing for one; it is kept small (``wanted``)."""
        # The terms first, while the writes in flight go on: their own transaction, which
        # only makes what these records name and the graph lacks, so the writes ahead of it
        # neither wait for it nor touch what it makes (about 0.1 s a run off the path).
        self._ensure_terms()
        for row in (*self.creates, *self.updates):
            if "orgRef" in row:
                row["orgId"] = self.orgs.get(row.pop("orgRef"))
        self.wait(keep=self.in_flight - 1 if self._committed.is_set() else 0)
        book = {
            "quarantine": self.quarantine, "seenKeys": self.seen_keys,
            "unchangedPages": list(unchanged_pages), "seen": self.counts["seen"],
            "unchanged": self.counts["unchanged"], "duplicates": self.counts["duplicates"],
            "warnings": self.counts["warnings"], "notes": self.notes,
            "notModified": not_modified, "cursor": json.dumps(cursor),
            "validators": json.dumps(validators or {}),
            "after": self._turns,
        }
        self._turns += 1
        self._handed += 1
        creates, updates = self.creates, self.updates
        self._reset()
        before = self._inflight[-1] if self._inflight else None
        # The writer runs in a copy of this context, so a statement log sees its statements too.
        self._inflight.append(self._writer.submit(
            contextvars.copy_context().run, self._write_and_remember, creates, updates, book,
            before))

    def _write_and_remember(self, creates: list[dict[str, Any]], updates: list[dict[str, Any]],
                            book: dict[str, Any], before: Future[dict[str, int]] | None
                            ) -> dict[str, int]:
        """Write a batch; one that came before its turn (the batch before it still writing)
        was rolled back: it is written again once that one has committed, and not at all when
        that one failed (the run stops with that one's error)."""
        counts = self._write(creates, updates, book, [], before)
        self._committed.set()
        for row in (*creates, *updates):
            if row.get("written"):
                # The edge's id matters only to the withdrawal pass, which skips keys seen.
                edge = self.known[row["key"]][4] if row["key"] in self.known else ""
                self.known[row["key"]] = (row["hash"], row["rawHash"], True, row["page"], edge)
        return counts

    def _send(self, creates: list[dict[str, Any]], updates: list[dict[str, Any]],
              book: dict[str, Any] | None, before: Future[dict[str, int]] | None
              ) -> dict[str, int]:
        params = {"platformId": self.platform["id"], "runId": self.run_id, "lease": self.lease,
                  "now": now(), "creates": creates, "updates": updates,
                  "orgs": [r["org"] for r in (*creates, *updates) if "org" in r],
                  **(book or _NO_BOOK)}
        try:
            counts = repo.write_batch(self.graph, self.feed.record_type, params)
        except repo.OutOfTurn:
            if before is None:
                raise
            # Rolled back: the batch before it was still writing. Once that one has committed
            # this one is in turn; when it failed, this one stops with its error.
            before.result()
            params["now"] = now()
            counts = repo.write_batch(self.graph, self.feed.record_type, params)
        if counts is None:
            raise LeaseLost(f"sync run {self.run_id} was taken over by another worker")
        for row in (*creates, *updates):
            row["written"] = True
        return counts

    def _write(self, creates: list[dict[str, Any]], updates: list[dict[str, Any]],
               book: dict[str, Any] | None, refused: list[dict[str, Any]],
               before: Future[dict[str, int]] | None = None) -> dict[str, int]:
        """Send a batch; one the database refuses is split in halves until the record it
        refuses is found and quarantined with the database's reason, and the rest lands.

        Halves before the last go without the bookkeeping, which travels with the last one
        (with the records refused meanwhile, gathered in ``refused``)."""
        try:
            return self._send(creates, updates, book, before)
        except Neo4jError as exc:
            if isinstance(exc, TransientError) or not (creates or updates):
                raise
            refusal = exc
        if len(creates) + len(updates) == 1:
            row = (creates or updates)[0]
            log.warning("sync run %s: the database refused record %s: %s", self.run_id,
                        row["key"], refusal.message)
            refused.append({"key": row["key"], "raw": _raw_json(row["props"]),
                                 "reason": f"the database refused the record: "
                                           f"{refusal.message or refusal.code}"})
            if book is None:
                return {"created": 0, "updated": 0, "unchanged": 0}
            book["quarantine"] = [*book["quarantine"], *refused]
            refused.clear()
            return self._send([], [], book, before)
        half_c, half_u = len(creates) // 2, len(updates) // 2
        if not half_c and not half_u:  # one on each side
            half_c = len(creates)
        first = self._write(creates[:half_c], updates[:half_u], None, refused)
        if book is not None and refused:
            book["quarantine"] = [*book["quarantine"], *refused]
            refused.clear()
        second = self._write(creates[half_c:], updates[half_u:], book, refused, before)
        return {k: first[k] + second[k] for k in first}


_NO_BOOK: dict[str, Any] = {
    "quarantine": [], "seenKeys": [], "unchangedPages": [], "seen": 0, "unchanged": 0,
    "duplicates": 0, "warnings": 0, "notes": [], "notModified": 0, "cursor": None,
    "validators": None, "after": None,
}


def _org(org: OrgRef) -> dict[str, Any]:
    key = name_key(org.name, org.region)
    return {"name": org.name, "region": org.region, "regionCode": org.region_code,
            "kind": org.kind, "label": KIND_LABELS[org.kind], "businessId": org.business_id,
            "nameKey": key, "ref": org.business_id or key}


def _raw_json(raw: Any) -> str:
    return json.dumps(raw, default=str, ensure_ascii=False, sort_keys=True)[:20_000]
