"""A kit's published releases: the zip, each of its files alone, and a preview of its tables.

Why apart from the build (``service.py``): serving reads only what a build published, the zip in
the store and its manifest, never the spec or the graph's lock. The zip is unpacked once, beside
it, into a folder named by the zip's sha256 (so as immutable as the zip); the manifest inside
the zip names every file with its sha256, which is the file's ETag and the only list of names a
request may ask for.
"""

from __future__ import annotations

import csv
import os
import shutil
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from civicgraph.config import Settings
from civicgraph.core.errors import NotFound
from civicgraph.core.graph import Graph
from hackathon_kits import cypher as repo
from hackathon_kits.builder.package import MANIFEST, MEDIA_TYPES, sha256_file


def release_download(graph: Graph, settings: Settings, name: str,
                     number: int) -> tuple[Path, dict[str, Any]]:
    """The release's zip and record; counts the download."""
    release = repo.get_release(graph, name, number)
    if release is None:
        raise NotFound(f"kit {name!r} has no release {number}")
    path = settings.kit_store_dir / str(release["path"])
    if not path.is_file():
        raise NotFound(f"the file of release {number} of kit {name!r} is missing from the store")
    repo.count_download(graph, name, number)
    return path, release


def get_release(graph: Graph, name: str, number: int) -> dict[str, Any]:
    release = repo.get_release(graph, name, number)
    if release is None:
        raise NotFound(f"kit {name!r} has no release {number}")
    return release


def unpacked(store: Path, relative: str) -> Path:
    """The folder the release's zip unpacks to, unpacking it first if no one has yet (a release
    published before files were served alone, or a store restored from zips alone)."""
    archive = store / relative
    folder = archive.with_suffix("")
    if folder.is_dir():
        return folder
    if not archive.is_file():
        raise NotFound(f"the file of release {relative!r} is missing from the store")
    partial = store / ".tmp" / f"unpack-{uuid.uuid4()}"
    partial.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(partial)
        for path in partial.rglob("*"):
            if path.is_file():
                os.chmod(path, 0o444)
        try:
            os.replace(partial, folder)  # atomic; a concurrent unpack that won leaves us ours
        except OSError:
            if not folder.is_dir():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def _manifest(folder: Path) -> dict[str, str]:
    """File name -> sha256, as the zip's manifest lists them (``sha256sum -c`` format)."""
    listed: dict[str, str] = {}
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name:
            listed[name] = digest
    listed[MANIFEST] = sha256_file(folder / MANIFEST)[0]
    return listed


def _media_type(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1]
    return MEDIA_TYPES.get(suffix) or FILE_MEDIA_TYPES.get(suffix) or "application/octet-stream"


FILE_MEDIA_TYPES = {"json": "application/json", "md": "text/markdown", "txt": "text/plain"}


def release_files(settings: Settings, release: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every file of a release: its name in the zip, sha256, size and media type, in the
    manifest's (sorted) order."""
    folder = unpacked(settings.kit_store_dir, str(release["path"]))
    return [{"name": name, "sha256": digest, "bytes": (folder / name).stat().st_size,
             "mediaType": _media_type(name)}
            for name, digest in sorted(_manifest(folder).items())]


def release_file(graph: Graph, settings: Settings, name: str, number: int,
                 file: str) -> tuple[Path, dict[str, Any]]:
    """One file of a release, by its name in the zip: its path and its entry (sha256 as the
    ETag). A name the manifest does not list is NOT_FOUND, so no path leaves the folder."""
    release = get_release(graph, name, number)
    folder = unpacked(settings.kit_store_dir, str(release["path"]))
    digest = _manifest(folder).get(file)
    if digest is None:
        raise NotFound(f"release {number} of kit {name!r} has no file {file!r}")
    return folder / file, {"name": file, "sha256": digest, "mediaType": _media_type(file)}


PREVIEW_ROWS = 10


def preview(settings: Settings, release: Mapping[str, Any], kit: Mapping[str, Any],
            rows: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows of each table of the release, read from its published files (the CSV,
    or the Parquet file of a kit without CSV): what a participant sees on opening the file."""
    folder = unpacked(settings.kit_store_dir, str(release["path"]))
    tables = []
    for dataset in kit["datasets"]:
        csv_file = folder / "data" / f"{dataset['name']}.csv"
        parquet_file = folder / "data" / f"{dataset['name']}.parquet"
        if csv_file.is_file():
            with csv_file.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader, [])
                body = [row for _, row in zip(range(rows), reader, strict=False)]
            source = f"data/{dataset['name']}.csv"
        elif parquet_file.is_file():
            table = next(pq.ParquetFile(parquet_file).iter_batches(batch_size=rows), None)
            header = [c["name"] for c in dataset["columns"]]
            body = [["" if v is None else str(v) for v in row.values()]
                    for row in (table.to_pylist() if table is not None else [])]
            source = f"data/{dataset['name']}.parquet"
        else:
            continue
        tables.append({"dataset": dataset["name"], "title": dataset["title"], "file": source,
                       "columns": header, "rows": body})
    return tables
