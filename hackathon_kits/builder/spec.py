"""Kit specs: the YAML a lab author writes, checked against a schema whose errors name the field.

A spec is data, not code: pydantic checks its shape, and the builder refuses anything a release
could not honour (a dimension that is not a declared column, a file without its licence). The
spec's hash (canonical JSON of the checked spec) is the release's "spec version", so comments and
key order in the YAML do not make a new version.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SPECS_DIR = Path(__file__).resolve().parent.parent / "specs"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
COLUMN_PATTERN = r"^[a-z][a-z0-9_]*$"

# Licence id -> (title, IRI). DCAT-AP wants the licence as an IRI; Data Package v1 wants a path.
LICENCES: dict[str, tuple[str, str]] = {
    "OGL-UK-3.0": ("Open Government Licence v3.0",
                   "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
}
LicenceId = Literal["OGL-UK-3.0", "CC-BY-4.0", "CC0-1.0", "ODbL-1.0"]
ColumnType = Literal["string", "integer", "number", "boolean", "date"]
# The same types with what a column of each holds (the API's KitColumnType).
COLUMN_TYPES = {
    "string": "Text",
    "integer": "A whole number (counts are integers)",
    "number": "A decimal number",
    "boolean": "true or false",
    "date": "A calendar date, ISO 8601",
}
TableKind = Literal["aggregate", "records"]
# The same kinds of table with what each holds (the API's KitTableKind).
TABLE_KINDS = {
    "aggregate": "Counts per combination of dimensions, with small counts suppressed",
    "records": "One row per record, with its quasi-identifiers generalised or suppressed",
}
Format = Literal["csv", "parquet"]


class SpecError(ValueError):
    """The spec is not valid; ``problems`` lists ``field.path: message`` lines."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Strict):
    name: str = Field(pattern=COLUMN_PATTERN)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    type: ColumnType
    unit: str | None = None


class Source(_Strict):
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str | None = None
    licence: LicenceId
    note: str | None = None


class CellKey(_Strict):
    """ONS cell-key perturbation's published parameters (the secret key is never in a spec)."""

    key_range: int = Field(default=256, ge=16, le=1 << 16)
    max_noise: int = Field(default=2, ge=1, le=10)


DisclosureMethod = Literal["suppression", "cell_key"]


class Disclosure(_Strict):
    method: DisclosureMethod = "suppression"
    threshold: int = Field(default=10, ge=1)
    rounding_base: int | None = Field(default=5, ge=2)
    secondary_suppression: bool = True
    k: int = Field(default=5, ge=2)
    cell_key: CellKey = Field(default_factory=CellKey)


class BuildOptions(_Strict):
    batch_size: int = Field(default=10_000, ge=1, le=1_000_000)
    row_group_size: int = Field(default=100_000, ge=1_000)
    # Used only by the tests that kill a worker mid-build: a pause after every streamed batch.
    test_batch_delay_seconds: float = Field(default=0.0, ge=0.0, le=10.0)


class Dataset(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    table: TableKind
    cypher: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    file: str | None = None
    source: Source | None = None
    columns: list[Column] = Field(min_length=1)
    dimensions: list[str] = Field(default_factory=list)
    measure: str | None = None
    totals: list[list[str]] = Field(default_factory=list)
    key: list[str] = Field(default_factory=list)
    quasi_identifiers: list[str] = Field(default_factory=list)
    disclosure_control: bool = True
    # Cell-key perturbation: the query column holding each cell's record ids (a list). It feeds
    # the cell's key only and is never published.
    record_ids: str | None = Field(default=None, pattern=COLUMN_PATTERN)

    @model_validator(mode="after")
    def _coherent(self) -> Dataset:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("columns: a column name appears twice")
        if (self.cypher is None) == (self.file is None):
            raise ValueError("give exactly one of cypher (a read-only query) or file")
        if self.file is not None:
            if self.source is None:
                raise ValueError("source: a shipped file needs its source and licence")
            if not re.fullmatch(r"[a-z0-9_.-]+\.csv", self.file):
                raise ValueError("file: a CSV file name inside hackathon_kits/data/")
        types = {c.name: c.type for c in self.columns}

        def declared(what: str, cols: list[str]) -> None:
            for col in cols:
                if col not in types:
                    raise ValueError(f"{what}: {col!r} is not a declared column")

        declared("key", self.key)
        declared("quasi_identifiers", self.quasi_identifiers)
        if self.table == "aggregate":
            if not self.dimensions or self.measure is None:
                raise ValueError("an aggregate table needs dimensions and a measure")
            declared("dimensions", self.dimensions)
            declared("measure", [self.measure])
            if types[self.measure] != "integer":
                raise ValueError("measure: the count column must be of type integer")
            for dim in self.dimensions:
                if types[dim] != "string":
                    raise ValueError(f"dimensions: {dim!r} must be a string (totals say 'Total')")
            if set(names) != {*self.dimensions, self.measure}:
                raise ValueError("columns: an aggregate table has its dimensions and measure only")
            for i, keep in enumerate(self.totals):
                declared(f"totals.{i}", keep)
                if len(keep) >= len(self.dimensions) or len(set(keep)) != len(keep):
                    raise ValueError(f"totals.{i}: keep fewer dimensions than the table has")
        else:
            if not self.key:
                raise ValueError("key: a records table needs the columns its rows are sorted by")
            if self.dimensions or self.measure or self.totals:
                raise ValueError("dimensions, measure and totals belong to aggregate tables")
        return self


class Join(_Strict):
    """Two tables of the kit that join on shared columns; the README shows the join as code."""

    left: str
    right: str
    keys: list[str] = Field(min_length=1)  # not `on`: YAML 1.1 reads it as true
    description: str = Field(min_length=1)


class KitSpec(_Strict):
    name: str = Field(pattern=NAME_PATTERN, max_length=80)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    licence: LicenceId
    keywords: list[str] = Field(min_length=1)
    publisher: str = "CivicGraph Innovation Lab"
    formats: list[Format] = Field(default=["csv", "parquet"], min_length=1)
    disclosure: Disclosure = Field(default_factory=Disclosure)
    build: BuildOptions = Field(default_factory=BuildOptions)
    datasets: list[Dataset] = Field(min_length=1)
    joins: list[Join] = Field(default_factory=list)
    changelog_note: str | None = None

    @model_validator(mode="after")
    def _unique_datasets(self) -> KitSpec:
        names = [d.name for d in self.datasets]
        if len(set(names)) != len(names):
            raise ValueError("datasets: a dataset name appears twice")
        by_name = {d.name: d for d in self.datasets}
        for i, join in enumerate(self.joins):
            for side in (join.left, join.right):
                if side not in by_name:
                    raise ValueError(f"joins.{i}: {side!r} is not a dataset of this kit")
                missing = [c for c in join.keys if c not in {x.name for x in by_name[side].columns}]
                if missing:
                    raise ValueError(f"joins.{i}: {side!r} has no column {missing[0]!r}")
        if self.disclosure.method == "cell_key":
            for dataset in self.datasets:
                if dataset.table == "aggregate" and dataset.disclosure_control \
                        and dataset.cypher is not None and dataset.record_ids is None:
                    raise ValueError(
                        f"datasets.{dataset.name}.record_ids: cell-key perturbation needs the "
                        "query column that lists each cell\u2019s record ids (collect(x.id))")
        return self

    @property
    def licence_title(self) -> str:
        return LICENCES[self.licence][0]

    @property
    def licence_url(self) -> str:
        return LICENCES[self.licence][1]

    def spec_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True,
                               separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(spec)"


def parse_spec(document: Any, source: str = "spec") -> KitSpec:
    """Check a parsed YAML document; every problem is reported with its field path."""
    try:
        return KitSpec.model_validate(document)
    except ValidationError as exc:
        problems = [f"{_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise SpecError(source, problems) from None


def load_spec_file(path: Path) -> KitSpec:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(path.name, [f"(yaml): {exc}"]) from None
    spec = parse_spec(document, path.name)
    if path.stem != spec.name:
        raise SpecError(path.name, [f"name: {spec.name!r} must match the file name {path.stem!r}"])
    return spec


def spec_files(dirs: list[Path]) -> dict[str, Path]:
    """Kit name -> spec file; an earlier directory wins over a later one."""
    found: dict[str, Path] = {}
    for directory in dirs:
        for path in sorted(directory.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def data_file(dataset: Dataset, data_dir: Path = DATA_DIR) -> Path:
    assert dataset.file is not None
    return data_dir / dataset.file
