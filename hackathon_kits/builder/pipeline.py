"""One kit build, start to finish, into a working directory: no publishing, no database.

The caller supplies a ``RowSource`` (the platform streams rows from Neo4j inside a read
transaction) and a progress callback. Record tables stream to the writers batch by batch; an
aggregate table holds only its cells (the database did the counting), which secondary
suppression needs all at once.
"""

from __future__ import annotations

import contextlib
import csv
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from hackathon_kits.builder import package
from hackathon_kits.builder.disclosure import (
    DisclosureRefused,
    KAnonymity,
    PerturbationTable,
    cell_key,
    protect_aggregate,
    protect_cell_key,
)
from hackathon_kits.builder.spec import DATA_DIR, Dataset, KitSpec, data_file
from hackathon_kits.builder.tables import RowError, TableWriter, to_python

Progress = Callable[[float, str], None]
"""Told the percentage done and the stage (a code of ``compiler.domains.kits.BUILD_STAGES``)."""


class BuildFailed(Exception):
    """The data did not satisfy the spec (types, order, duplicates); nothing is published."""


class RowSource(Protocol):
    def count(self, dataset: Dataset) -> int: ...

    def rows(self, dataset: Dataset) -> contextlib.AbstractContextManager[
            Iterator[Mapping[str, Any]]]: ...


@dataclass(frozen=True)
class BuildOutput:
    zip_path: Path
    sha256: str
    size: int
    rows: dict[str, int]
    reports: dict[str, Any]
    validation: dict[str, Any]


@contextlib.contextmanager
def _file_rows(path: Path) -> Iterator[Iterator[Mapping[str, Any]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield csv.DictReader(handle)


def _file_count(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


class _Meter:
    """Turns rows streamed into a percentage between 5 and 85, reported at most twice a second."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.last = 0.0

    def advance(self, rows: int, stage: str, force: bool = False) -> None:
        self.done += rows
        now = time.monotonic()
        if force or now - self.last >= 0.5:
            self.last = now
            self.progress(5 + 80 * min(self.done / self.total, 1.0), stage)


class _Stages:
    """Seconds spent per stage, kept on the release (the benchmark reads them)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.mark = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.mark, 3)
        self.mark = now


def build_kit(spec: KitSpec, source: RowSource, workdir: Path, progress: Progress,
              data_dir: Path = DATA_DIR, cell_key_secret: bytes | None = None) -> BuildOutput:
    """``cell_key_secret`` keys the records of a kit perturbed by cell key; it is used here and
    written nowhere (the kit publishes the method and its p-table only)."""
    ptable = None
    if spec.disclosure.method == "cell_key":
        if not cell_key_secret:
            raise DisclosureRefused("this kit is perturbed by cell key, but the builder has no "
                                    "secret key for its records (CIVICGRAPH_KIT_CELL_KEY_SECRET)")
        ptable = PerturbationTable.build(spec.disclosure.cell_key.key_range,
                                         spec.disclosure.cell_key.max_noise)
    root = workdir / "package"
    root.mkdir(parents=True)
    clock = _Stages()
    progress(1, "COUNTING")
    counts = {d.name: (_file_count(data_file(d, data_dir)) if d.file else source.count(d))
              for d in spec.datasets}
    meter = _Meter(progress, sum(counts.values()))
    clock.lap("count")
    written: list[package.WrittenResource] = []
    reports: dict[str, Any] = {}
    for dataset in spec.datasets:
        rows_cm = _file_rows(data_file(dataset, data_dir)) if dataset.file else source.rows(dataset)
        base = root / "data" / dataset.name
        # Only a suppressed count prints the marker; any other missing value is left empty.
        marked = [dataset.measure] if dataset.table == "aggregate" and dataset.measure else []
        writer = TableWriter(base, dataset.columns, spec.formats, spec.build.row_group_size,
                             suppressed_marker_columns=marked)
        try:
            with rows_cm as rows:
                if dataset.table == "aggregate":
                    reports[dataset.name] = _aggregate(spec, dataset, rows, writer, meter,
                                                       ptable, cell_key_secret)
                else:
                    reports[dataset.name] = _records(spec, dataset, rows, writer, meter)
        finally:
            writer.close()
        for fmt in spec.formats:
            written.append(package.WrittenResource(dataset, fmt, f"data/{dataset.name}.{fmt}",
                                                   writer.rows))
        meter.advance(0, "STREAMING", force=True)
    clock.lap("stream")
    progress(86, "DOCUMENTING")
    if ptable is not None:
        package.write_perturbation_table(root, ptable)
    descriptor = package.write_metadata(spec, root, written, reports)
    clock.lap("metadata")
    progress(88, "VALIDATING")
    validation = package.validate(root, descriptor,
                                   {package.resource_name(r): r.rows for r in written})
    clock.lap("validate")
    progress(95, "ZIPPING")
    target = workdir / f"{spec.name}.zip"
    package.write_zip(root, target)
    digest, size = package.sha256_file(target)
    clock.lap("zip")
    validation["stageSeconds"] = clock.laps
    return BuildOutput(zip_path=target, sha256=digest, size=size,
                       rows={package.resource_name(r): r.rows for r in written},
                       reports=reports, validation=validation)


def _typed(dataset: Dataset, record: Mapping[str, Any], where: str) -> list[Any]:
    try:
        return [to_python(record[c.name], c, where) for c in dataset.columns]
    except KeyError as exc:
        raise BuildFailed(f"{dataset.name}: the query returns no column {exc.args[0]!r}") from None
    except RowError as exc:
        raise BuildFailed(f"{dataset.name}: {exc}") from None


def _records(spec: KitSpec, dataset: Dataset, rows: Iterator[Mapping[str, Any]],
             writer: TableWriter, meter: _Meter) -> dict[str, Any]:
    names = [c.name for c in dataset.columns]
    key_at = [names.index(k) for k in dataset.key]
    anonymity = KAnonymity(dataset.quasi_identifiers, spec.disclosure.k)
    previous: tuple[Any, ...] | None = None
    batch = 0
    for number, record in enumerate(rows, start=1):
        values = _typed(dataset, record, f"row {number}")
        key = tuple(values[i] for i in key_at)
        if any(part is None for part in key):
            raise BuildFailed(f"{dataset.name}: row {number} has an empty key {dataset.key}")
        if previous is not None and not key > previous:
            raise BuildFailed(
                f"{dataset.name}: rows must arrive sorted and unique by {dataset.key} "
                f"(ORDER BY them in the query); row {number} {key} follows {previous}")
        previous = key
        writer.write(values)
        anonymity.add(dict(zip(names, values, strict=True)))
        batch += 1
        if batch >= spec.build.batch_size:
            meter.advance(batch, "STREAMING")
            batch = 0
            if spec.build.test_batch_delay_seconds:
                time.sleep(spec.build.test_batch_delay_seconds)
    meter.advance(batch, "STREAMING")
    return {"table": "records", "rows": writer.rows,
            "kAnonymity": anonymity.check(dataset.name)}


def _aggregate(spec: KitSpec, dataset: Dataset, rows: Iterator[Mapping[str, Any]],
               writer: TableWriter, meter: _Meter, ptable: PerturbationTable | None = None,
               secret: bytes | None = None) -> dict[str, Any]:
    assert dataset.measure is not None
    names = [c.name for c in dataset.columns]
    dim_at = [names.index(d) for d in dataset.dimensions]
    measure_at = names.index(dataset.measure)
    cells: dict[tuple[str, ...], int] = {}
    keys: dict[tuple[str, ...], int] = {}
    perturb = ptable is not None and dataset.disclosure_control
    for number, record in enumerate(rows, start=1):
        values = _typed(dataset, record, f"row {number}")
        key = tuple(values[i] for i in dim_at)
        if any(part is None for part in key) or values[measure_at] is None:
            raise BuildFailed(f"{dataset.name}: row {number} has an empty dimension or count; "
                              "map missing values in the query (coalesce)")
        if key in cells:
            raise BuildFailed(f"{dataset.name}: the cell {key} appears twice")
        cells[key] = int(values[measure_at])
        if perturb:
            assert ptable is not None and secret is not None
            keys[key] = _cell_key(dataset, record, cells[key], number, secret, ptable)
        if number % spec.build.batch_size == 0:
            meter.advance(spec.build.batch_size, "STREAMING")
            if spec.build.test_batch_delay_seconds:
                time.sleep(spec.build.test_batch_delay_seconds)
    meter.advance(len(cells) % spec.build.batch_size, "STREAMING")
    rules = spec.disclosure
    if perturb:
        assert ptable is not None
        result = protect_cell_key(cells, keys, dataset.dimensions, dataset.totals, ptable)
        published, report = result.rows, result.report
    elif dataset.disclosure_control:
        result = protect_aggregate(
            cells, dataset.dimensions, dataset.totals, threshold=rules.threshold,
            rounding_base=rules.rounding_base, secondary=rules.secondary_suppression)
        published, report = result.rows, result.report
    else:
        published = sorted(cells.items())
        report = {"cells": len(cells), "note": "published as received (disclosure_control off)"}
    for key, value in published:
        row: list[Any] = [None] * len(names)
        for i, part in zip(dim_at, key, strict=True):
            row[i] = part
        row[measure_at] = value
        writer.write(row)
    if perturb:
        return {"table": "aggregate", **report}
    return {"table": "aggregate", "threshold": rules.threshold,
            "roundingBase": rules.rounding_base,
            "secondarySuppression": rules.secondary_suppression, **report}


def _cell_key(dataset: Dataset, record: Mapping[str, Any], count: int, number: int,
              secret: bytes, ptable: PerturbationTable) -> int:
    ids = record.get(dataset.record_ids or "")
    if not isinstance(ids, list | tuple) or len(ids) != count or None in ids:
        raise BuildFailed(
            f"{dataset.name}: row {number}: the column {dataset.record_ids!r} must list the "
            f"cell\u2019s {count} record ids (collect(x.id) beside count(*))")
    return cell_key(secret, ids, ptable.key_range)
