"""Same spec and rows give the same zip, byte for byte; the timestamp follows SOURCE_DATE_EPOCH.

The builder library is exercised directly with a fixed list of rows (no database is involved in
these tests; the worker tests cover the rows streamed from Neo4j).
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from hackathon_kits.builder.pipeline import build_kit
from hackathon_kits.builder.spec import SPECS_DIR, Dataset, load_spec_file

ROWS = [{"region_code": r, "month": m, "vacancies": n}
        for r, m, n in [("E12000007", "2025-01", 31), ("E12000007", "2025-02", 4),
                        ("E12000001", "2025-01", 12), ("E12000001", "2025-02", 55)]]


class FixedRows:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows_ = rows

    def count(self, dataset: Dataset) -> int:
        return len(self.rows_)

    @contextlib.contextmanager
    def rows(self, dataset: Dataset) -> Iterator[Iterator[Mapping[str, Any]]]:
        yield iter(self.rows_)


def _build(tmp: Path, rows: list[dict[str, Any]]) -> bytes:
    spec = load_spec_file(SPECS_DIR / "claimant-count-and-vacancies.yaml")
    output = build_kit(spec, FixedRows(rows), tmp, lambda percent, stage: None)
    return output.zip_path.read_bytes()


def test_same_inputs_same_bytes_whatever_the_row_order(tmp_path: Path) -> None:
    first = _build(tmp_path / "a", ROWS)
    second = _build(tmp_path / "b", list(reversed(ROWS)))  # aggregate cells are sorted
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "claimant-count-and-vacancies.zip") as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_source_date_epoch_sets_the_one_timestamp(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = _build(tmp_path / "a", ROWS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    stamped = _build(tmp_path / "b", ROWS)
    assert stamped != baseline
    with zipfile.ZipFile(tmp_path / "b" / "claimant-count-and-vacancies.zip") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b'"created": "2023-11-14T22:13:20Z"' in zf.read("datapackage.json")


def test_changed_data_changes_the_bytes(tmp_path: Path) -> None:
    changed = [dict(r) for r in ROWS]
    changed[0]["vacancies"] = 40
    assert _build(tmp_path / "a", ROWS) != _build(tmp_path / "b", changed)
