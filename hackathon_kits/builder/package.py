"""The kit's files around the data: datapackage.json, README, data dictionary, manifest, zip.

Everything here is a pure function of the spec, the data files and the disclosure reports, so
the same inputs give the same bytes: no build time, host or random value is written into the
zip. Times that describe the build live in the graph's release record instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from hackathon_kits.builder.disclosure import SUPPRESSED, PerturbationTable
from hackathon_kits.builder.readme import render_readme
from hackathon_kits.builder.spec import Dataset, KitSpec

MANIFEST = "manifest-sha256.txt"
PERTURBATION_TABLE = "perturbation-table.csv"
# Above this many rows a resource is validated so that memory stays flat (see docs):
# frictionless reads a Parquet file whole (through pandas), so the builder checks Parquet itself
# (schema, row count); and frictionless keeps every primary-key value to check uniqueness, so a
# large CSV is validated without primaryKey: the builder already proved its key sorted and
# unique while streaming, which needs no memory.
LARGE_RESOURCE_ROWS = 200_000
MEDIA_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}
CHUNK = 1 << 20


class PackageInvalid(Exception):
    """frictionless (or the Parquet check) found errors in the package."""


@dataclass(frozen=True)
class WrittenResource:
    dataset: Dataset
    format: str
    path: str  # relative to the package root
    rows: int


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def source_epoch() -> int:
    """SOURCE_DATE_EPOCH when set (clamped to zip's 1980 floor), else 1980-01-01."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    floor = 315532800
    return max(int(raw), floor) if raw.isdigit() else floor


def created_stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(source_epoch()))


def resource_name(resource: WrittenResource) -> str:
    return resource.dataset.name if resource.format == "csv" else \
        f"{resource.dataset.name}-{resource.format}"


def _schema(dataset: Dataset, fmt: str) -> dict[str, Any]:
    fields = []
    for column in dataset.columns:
        field: dict[str, Any] = {"name": column.name, "title": column.title,
                                 "type": column.type, "description": column.description}
        if column.unit:
            field["unit"] = column.unit
        fields.append(field)
    missing = [""]
    if dataset.table == "aggregate":
        missing.append(SUPPRESSED)
    if fmt == "parquet":
        # frictionless reads Parquet through pandas, which turns a missing integer into NaN and
        # then (by luck of identity) sometimes fails it as "not an integer"; the file itself
        # holds a typed null. "nan" as a missing value lets the check see it as the null it is.
        missing.append("nan")
    schema: dict[str, Any] = {"fields": fields, "missingValues": missing}
    if dataset.table == "records":
        schema["primaryKey"] = list(dataset.key)
    return schema


def datapackage(spec: KitSpec, root: Path, resources: list[WrittenResource]) -> dict[str, Any]:
    described = []
    for res in sorted(resources, key=lambda r: r.path):
        digest, size = sha256_file(root / res.path) if res.format == "csv" else ("", 0)
        entry: dict[str, Any] = {
            "name": resource_name(res), "title": res.dataset.title,
            "description": res.dataset.description, "path": res.path,
            "profile": "tabular-data-resource",
            "format": res.format, "mediatype": MEDIA_TYPES[res.format],
            "schema": _schema(res.dataset, res.format),
        }
        if res.format == "csv":
            # frictionless re-checks bytes and hash while it reads a text stream; its Parquet
            # reader goes through pyarrow and reports no byte count, so Parquet files are
            # covered by the manifest (and the builder's own check) instead.
            entry.update(encoding="utf-8", bytes=size, hash=f"sha256:{digest}")
        if res.dataset.source is not None:
            src = res.dataset.source
            entry["sources"] = [{"title": f"{src.title} ({src.publisher})",
                                 **({"path": src.url} if src.url else {})}]
        described.append(entry)
    sources = sorted({(d.source.title, d.source.publisher, d.source.url or "")
                      for d in spec.datasets if d.source is not None})
    return {
        "profile": "tabular-data-package",
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "keywords": list(spec.keywords),
        "licenses": [{"name": spec.licence, "title": spec.licence_title,
                      "path": spec.licence_url}],
        "sources": [{"title": f"{t} ({p})", **({"path": u} if u else {})} for t, p, u in sources]
        or [{"title": spec.publisher}],
        "contributors": [{"title": spec.publisher, "role": "publisher"}],
        "created": created_stamp(),
        "x-civicgraph-spec-sha256": spec.spec_hash(),
        # The disclosure method and its parameters, as the README states them (never a key).
        "x-civicgraph-disclosure": spec.disclosure.model_dump(mode="json"),
        "resources": described,
    }


def write_perturbation_table(root: Path, table: PerturbationTable) -> None:
    """The published p-table: with a cell's count and key, anyone can see the noise it got."""
    with (root / PERTURBATION_TABLE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["count", "cell_key_from", "cell_key_to", "noise"])
        writer.writerows(table.rows)


def write_dictionary(root: Path, spec: KitSpec) -> None:
    with (root / "data-dictionary.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["dataset", "column", "title", "type", "unit", "description"])
        for dataset in spec.datasets:
            for column in dataset.columns:
                writer.writerow([dataset.name, column.name, column.title, column.type,
                                 column.unit or "", column.description])


def write_metadata(spec: KitSpec, root: Path, resources: list[WrittenResource],
                   reports: dict[str, Any]) -> dict[str, Any]:
    """Write README, data dictionary, disclosure report and datapackage.json; return the latter."""
    write_dictionary(root, spec)
    (root / "disclosure-report.json").write_text(
        json.dumps(reports, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    descriptor = datapackage(spec, root, resources)
    (root / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rows = {resource_name(r): r.rows for r in resources}
    (root / "README.md").write_text(render_readme(spec, rows, reports), encoding="utf-8")
    return descriptor


def validate(root: Path, descriptor: dict[str, Any], rows: dict[str, int]) -> dict[str, Any]:
    """Validate with frictionless; large resources as described at ``LARGE_RESOURCE_ROWS``."""
    from frictionless import Package

    checked_by_pyarrow = []
    key_checked_while_streaming = []
    kept = []
    for res in descriptor["resources"]:
        large = rows[res["name"]] > LARGE_RESOURCE_ROWS
        if res["format"] == "parquet" and large:
            _check_parquet(root / res["path"], res, rows[res["name"]])
            checked_by_pyarrow.append(res["name"])
        elif large and "primaryKey" in res["schema"]:
            schema = {k: v for k, v in res["schema"].items() if k != "primaryKey"}
            kept.append({**res, "schema": schema})
            key_checked_while_streaming.append(res["name"])
        else:
            kept.append(res)
    package = Package({**descriptor, "resources": kept}, basepath=str(root))
    report = package.validate()
    if not report.valid:
        errors = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors]
        raise PackageInvalid("frictionless found errors: " + "; ".join(errors[:10]))
    return {"frictionless": sorted(r["name"] for r in kept), "pyarrow": checked_by_pyarrow,
            "primaryKeyCheckedWhileStreaming": key_checked_while_streaming}


def _check_parquet(path: Path, resource: dict[str, Any], rows: int) -> None:
    parquet = pq.ParquetFile(path)
    names = [f["name"] for f in resource["schema"]["fields"]]
    if parquet.schema_arrow.names != names:
        raise PackageInvalid(f"{resource['name']}: columns {parquet.schema_arrow.names} != {names}")
    if parquet.metadata.num_rows != rows:
        raise PackageInvalid(f"{resource['name']}: {parquet.metadata.num_rows} rows, not {rows}")


def write_zip(root: Path, target: Path) -> None:
    """Zip every file under root, sorted, with one timestamp, mode 0644 and a sha256 manifest."""
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    manifest = io.StringIO()
    for name in files:
        manifest.write(f"{sha256_file(root / name)[0]}  {name}\n")
    (root / MANIFEST).write_text(manifest.getvalue(), encoding="utf-8")
    entries = sorted([*files, MANIFEST])
    stamp = time.gmtime(source_epoch())[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100644 & 0xFFFF) << 16
            path = root / name
            info.file_size = path.stat().st_size
            with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
