"""Streaming writers: rows go to CSV and Parquet batch by batch, so memory holds one batch.

Parquet is written by pyarrow with an explicit schema, a fixed compression and a fixed row-group
size (frictionless only validates it); statistics and dictionary encoding are fixed too, so the
same rows give the same bytes under the pinned pyarrow.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from hackathon_kits.builder.disclosure import SUPPRESSED
from hackathon_kits.builder.spec import Column

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}


class RowError(ValueError):
    """A value does not fit its declared column type."""


def to_python(value: Any, column: Column, where: str) -> Any:
    """Convert a driver or CSV value to the column's type; ``None`` stays missing."""
    if value is None or value == "" or value == SUPPRESSED:
        return None
    kind = column.type
    try:
        if kind == "string":
            return str(value)
        if kind == "integer":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            if str(value).lower() in {"true", "false"}:
                return str(value).lower() == "true"
            raise ValueError(value)
        # date
        if hasattr(value, "to_native"):
            value = value.to_native()
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError) as exc:
        raise RowError(f"{where}: column {column.name!r} expects {kind}, got {value!r}") from exc


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class TableWriter:
    """Writes one resource to CSV and/or Parquet; ``suppressed`` columns print ``[c]`` for None."""

    def __init__(self, base: Path, columns: Sequence[Column], formats: Sequence[str],
                 row_group_size: int, suppressed_marker_columns: Sequence[str] = ()) -> None:
        self.columns = list(columns)
        self.names = [c.name for c in self.columns]
        self.marker = {self.names.index(c) for c in suppressed_marker_columns}
        self.row_group_size = row_group_size
        self.rows = 0
        self.paths: dict[str, Path] = {}
        self._buffer: list[list[Any]] = [[] for _ in self.columns]
        self._csv_file = None
        self._csv: Any = None
        self._parquet: pq.ParquetWriter | None = None
        self.schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in self.columns])
        base.parent.mkdir(parents=True, exist_ok=True)
        if "csv" in formats:
            self.paths["csv"] = base.with_suffix(".csv")
            self._csv_file = self.paths["csv"].open("w", encoding="utf-8", newline="")
            self._csv = csv.writer(self._csv_file, lineterminator="\r\n")
            self._csv.writerow(self.names)
        if "parquet" in formats:
            self.paths["parquet"] = base.with_suffix(".parquet")
            self._parquet = pq.ParquetWriter(self.paths["parquet"], self.schema,
                                             **PARQUET_OPTIONS)

    def write(self, row: Sequence[Any]) -> None:
        """Append one typed row (values in column order)."""
        if self._csv is not None:
            self._csv.writerow([
                SUPPRESSED if (v is None and i in self.marker) else _csv_text(v)
                for i, v in enumerate(row)
            ])
        if self._parquet is not None:
            for i, value in enumerate(row):
                self._buffer[i].append(value)
            if len(self._buffer[0]) >= self.row_group_size:
                self._flush()
        self.rows += 1

    def _flush(self) -> None:
        if self._parquet is None or not self._buffer[0]:
            return
        arrays = [pa.array(values, type=field.type)
                  for values, field in zip(self._buffer, self.schema, strict=True)]
        self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self.schema),
                                  row_group_size=self.row_group_size)
        self._buffer = [[] for _ in self.columns]

    def close(self) -> None:
        self._flush()
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._csv_file is not None:
            self._csv_file.close()
            self._csv_file = None
