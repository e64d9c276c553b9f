"""Specs are checked with errors that name the field; disclosure rules hold on every total."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest

from hackathon_kits.builder.disclosure import (
    TOTAL,
    DisclosureRefused,
    KAnonymity,
    PerturbationTable,
    cell_key,
    protect_aggregate,
    record_key,
    round_to_base,
)
from hackathon_kits.builder.spec import SPECS_DIR, SpecError, load_spec_file, parse_spec


def _spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": "demo", "title": "Demo", "description": "A demo.", "licence": "OGL-UK-3.0",
        "keywords": ["x"],
        "datasets": [{
            "name": "counts", "title": "Counts", "description": "Counts.", "table": "aggregate",
            "cypher": "MATCH (v:Vacancy) RETURN v.region AS region, count(*) AS n",
            "dimensions": ["region"], "measure": "n", "totals": [[]],
            "columns": [
                {"name": "region", "title": "Region", "type": "string", "description": "R."},
                {"name": "n", "title": "N", "type": "integer", "description": "Count."}],
        }],
    }
    spec.update(changes)
    return spec


def test_shipped_specs_are_valid() -> None:
    names = {p.stem for p in SPECS_DIR.glob("*.yaml")}
    assert len(names) >= 4
    for path in SPECS_DIR.glob("*.yaml"):
        assert load_spec_file(path).name == path.stem


def test_errors_name_the_field_path() -> None:
    bad = _spec(licence="MIT")
    bad["datasets"][0]["columns"][1]["type"] = "int"
    with pytest.raises(SpecError) as caught:
        parse_spec(bad)
    problems = " | ".join(caught.value.problems)
    assert "licence:" in problems
    assert "datasets.0.columns.1.type:" in problems


def test_a_dataset_needs_exactly_one_source_and_declared_columns() -> None:
    both = _spec()
    both["datasets"][0]["file"] = "x.csv"
    with pytest.raises(SpecError, match="exactly one of cypher"):
        parse_spec(both)
    undeclared = _spec()
    undeclared["datasets"][0]["dimensions"] = ["area"]
    with pytest.raises(SpecError, match="'area' is not a declared column"):
        parse_spec(undeclared)
    shipped = _spec()
    shipped["datasets"][0].pop("cypher")
    shipped["datasets"][0]["file"] = "claimants.csv"
    with pytest.raises(SpecError, match="source"):
        parse_spec(shipped)


def test_spec_file_name_must_match(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("name: demo\n")
    with pytest.raises(SpecError):
        load_spec_file(path)


def _published(rows: list[tuple[tuple[str, ...], int | None]]) -> dict[tuple[str, ...], int | None]:
    return dict(rows)


def test_ten_five_rule_and_rounding() -> None:
    cells: dict[tuple[str, ...], int] = {("A",): 3, ("B",): 12, ("C",): 27, ("D",): 40}
    out = _published(protect_aggregate(cells, ["region"], [[]], threshold=10,
                                       rounding_base=5, secondary=True).rows)
    assert out[("A",)] is None
    # A alone would be revealed by the grand total: the smallest visible cell goes too.
    assert out[("B",)] is None
    assert out[("C",)] == 25 and out[("D",)] == 40
    assert out[(TOTAL,)] == 80  # 82 rounded to 5
    assert [round_to_base(n, 5) for n in (10, 12, 13, 0)] == [10, 10, 15, 0]


def test_a_total_of_nine_does_not_reveal_two_ones() -> None:
    # Row total 9 (published) with two suppressed 1s and a visible 7 would reveal them.
    cells: dict[tuple[str, ...], int] = {("r", "a"): 1, ("r", "b"): 1, ("r", "c"): 7,
                                         ("s", "a"): 50, ("s", "b"): 60, ("s", "c"): 70}
    result = protect_aggregate(cells, ["row", "col"], [["row"], ["col"], []], threshold=10,
                               rounding_base=None, secondary=True)
    out = _published(result.rows)
    assert out[("r", TOTAL)] is None  # 9 < 10: withheld
    _assert_no_total_reveals(cells, out, ["row", "col"], [["row"], ["col"], []], 10)


def _assert_no_total_reveals(cells: dict[tuple[str, ...], int],
                             out: dict[tuple[str, ...], int | None], dims: list[str],
                             totals: list[list[str]], threshold: int) -> None:
    for keep in totals:
        kept = [i for i, d in enumerate(dims) if d in keep]
        groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for key in cells:
            groups.setdefault(tuple(key[i] if i in kept else TOTAL for i in range(len(dims))),
                              []).append(key)
        for total_key, members in groups.items():
            if out[total_key] is None:
                continue
            hidden = [m for m in members if out[m] is None]
            assert not hidden or (len(hidden) >= 2 and sum(cells[m] for m in hidden)
                                  >= threshold), (total_key, hidden)
    for key, value in out.items():
        assert value is None or value == 0 or value >= threshold, key


def test_secondary_suppression_holds_on_random_tables() -> None:
    rng = random.Random(7)
    dims = ["region", "occupation", "month"]
    totals = [["region", "month"], ["region"], ["month"], []]
    for _ in range(200):
        cells: dict[tuple[str, ...], int] = {key: rng.choice([1, 2, 3, 5, 8, 9, 10, 11, 15, 30, 80])
                 for key in itertools.product("ABC", "xyz", "12")
                 if rng.random() < 0.8}
        result = protect_aggregate(cells, dims, totals, threshold=10, rounding_base=5,
                                   secondary=True)
        _assert_no_total_reveals(cells, _published(result.rows), dims, totals, 10)


def test_k_anonymity_refuses_small_classes() -> None:
    check = KAnonymity(["region", "band"], k=5)
    for _ in range(5):
        check.add({"region": "North", "band": "18-24"})
    assert check.check("people")["smallestClass"] == 5
    check.add({"region": "Metro", "band": "65+"})
    with pytest.raises(DisclosureRefused, match="5-anonymity"):
        check.check("people")


def test_a_table_of_nothing_but_suppressed_cells_names_the_dimension_to_coarsen() -> None:
    # By month every cell is small; by region alone both would show (11 and 11).
    cells: dict[tuple[str, ...], int] = {("A", "m1"): 6, ("A", "m2"): 5, ("B", "m1"): 7,
                                         ("B", "m2"): 4}
    with pytest.raises(DisclosureRefused, match="coarsen the dimension 'month'"):
        protect_aggregate(cells, ["region", "month"], [], threshold=10, rounding_base=5,
                          secondary=True)
    # One visible value (here the grand total) is a table worth publishing.
    shown = protect_aggregate(cells, ["region", "month"], [[]], threshold=10, rounding_base=5,
                              secondary=True)
    assert dict(shown.rows)[(TOTAL, TOTAL)] == 20


def test_the_perturbation_table_covers_every_key_and_keeps_counts_non_negative() -> None:
    table = PerturbationTable.build(256, 2)
    for count in range(1, 4):
        rows = [r for r in table.rows if r[0] == count]
        assert rows[0][1] == 0 and rows[-1][2] == 255
        assert all(a[2] + 1 == b[1] for a, b in itertools.pairwise(rows))
        assert all(count + noise >= 0 for *_, noise in rows)
    assert {table.noise(n, k) for n in (1, 5, 500) for k in range(256)} <= set(range(-2, 3))
    assert table.noise(0, 17) == 0
    secret = b"s3cret"
    assert record_key(secret, "v1", 256) == record_key(secret, "v1", 256)
    assert cell_key(secret, ["v1", "v2"], 256) == cell_key(secret, ["v2", "v1"], 256)
    assert cell_key(secret, ["v1"], 256) != cell_key(b"other", ["v1"], 256) or \
        cell_key(secret, ["v2"], 256) != cell_key(b"other", ["v2"], 256)


def test_cell_key_perturbation_needs_each_cells_record_ids() -> None:
    with pytest.raises(SpecError, match="record_ids"):
        parse_spec(_spec(disclosure={"method": "cell_key"}))
    spec = _spec(disclosure={"method": "cell_key"})
    spec["datasets"][0]["record_ids"] = "ids"
    assert parse_spec(spec).disclosure.cell_key.key_range == 256
