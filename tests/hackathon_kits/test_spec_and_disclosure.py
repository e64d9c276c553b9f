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
    protect_aggregate,
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
