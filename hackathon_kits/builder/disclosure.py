"""Statistical disclosure control for aggregate tables and k-anonymity for record tables.

Aggregate tables follow the ONS "10-5 rule": a count from 1 to threshold-1 is suppressed
(primary), then secondary suppression makes every published total safe: a total whose cells
include a suppressed one must hide at least two cells whose sum is at least the threshold, or the
total minus the visible cells would reveal them (a row total of 9 with visible cells can reveal
two suppressed 1s). The smallest visible non-zero cell of such a group is suppressed next (ties
broken by the cell's key, so the result is the same on every build); when no cell is left, the
total itself is withheld. The loop runs until no published total needs more. Each total is
checked on its own; combinations of several totals are not audited (stated in every README).
Published values, cells and totals alike, are then rounded independently to the base.

A table whose every published value (cells and totals) would be suppressed is refused rather
than published as a page of ``[c]``: the message names the dimension whose removal would show
the most cells, the one to coarsen.

ONS cell-key perturbation is the other method (``protect_cell_key``): each record has a key
(an HMAC of its id under a secret, modulo the key range), a cell's key is the sum of its
records' keys modulo the range, and the published perturbation table maps (count, cell key) to
the noise added. The same records always make the same cell key, so a count met in two tables
(or two builds) gets the same noise and differencing the tables reveals nothing; the secret
stays with the builder, and the table and its parameters are published.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SUPPRESSED = "[c]"  # the ONS marker for a confidential cell
TOTAL = "Total"
REPORT_CELL_LIMIT = 500


class DisclosureRefused(Exception):
    """A release would disclose: the build stops and publishes nothing."""


Key = tuple[str, ...]


@dataclass
class AggregateResult:
    """Published rows (dimension values then the count, ``None`` when suppressed) and a report."""

    rows: list[tuple[Key, int | None]]
    report: dict[str, Any] = field(default_factory=dict)


def round_to_base(value: int, base: int | None) -> int:
    if not base:
        return value
    return ((value + base // 2) // base) * base


def protect_aggregate(
    cells: dict[Key, int],
    dimensions: list[str],
    totals: list[list[str]],
    *,
    threshold: int,
    rounding_base: int | None,
    secondary: bool,
) -> AggregateResult:
    for key, value in cells.items():
        if value < 0:
            raise DisclosureRefused(f"cell {key} has a negative count {value}")
    primary = {k for k, v in cells.items() if 0 < v < threshold}
    suppressed = set(primary)
    groups = _groups(cells, dimensions, totals)
    withheld_totals: set[Key] = set()
    for total_key, members in groups.items():
        value = sum(cells[m] for m in members)
        if 0 < value < threshold:
            withheld_totals.add(total_key)
    primary_totals = set(withheld_totals)
    secondary_cells: set[Key] = set()
    changed = secondary
    while changed:
        changed = False
        for total_key in sorted(groups):
            if total_key in withheld_totals:
                continue
            members = groups[total_key]
            hidden = [m for m in members if m in suppressed]
            if not hidden:
                continue
            if len(hidden) >= 2 and sum(cells[m] for m in hidden) >= threshold:
                continue
            visible = sorted((cells[m], m) for m in members if m not in suppressed and cells[m])
            if visible:
                suppressed.add(visible[0][1])
                secondary_cells.add(visible[0][1])
            else:
                withheld_totals.add(total_key)
            changed = True
    rows: list[tuple[Key, int | None]] = []
    for key in sorted(cells):
        rows.append((key, None if key in suppressed else round_to_base(cells[key], rounding_base)))
    for total_key in sorted(groups):
        value = sum(cells[m] for m in groups[total_key])
        hide = total_key in withheld_totals
        rows.append((total_key, None if hide else round_to_base(value, rounding_base)))
    report = {
        "cells": len(cells),
        "totals": len(groups),
        "primarySuppressed": len(primary),
        "secondarySuppressed": len(secondary_cells),
        "totalsWithheld": len(withheld_totals),
        "totalsWithheldBelowThreshold": len(primary_totals),
        "suppressedCells": [
            {"cell": dict(zip(dimensions, key, strict=True)),
             "reason": "primary" if key in primary else "secondary"}
            for key in sorted(suppressed)[:REPORT_CELL_LIMIT]
        ],
    }
    refuse_if_all_suppressed(cells, dimensions, rows, threshold)
    return AggregateResult(rows=rows, report=report)


def refuse_if_all_suppressed(cells: dict[Key, int], dimensions: list[str],
                             rows: list[tuple[Key, int | None]], threshold: int) -> None:
    """Refuse a table that would publish nothing but ``[c]``, naming the dimension to coarsen:
    the one whose removal leaves the most cells at or above the threshold (ties: the one with
    the most distinct values)."""
    if not rows or any(value is not None for _, value in rows):
        return

    def shown_without(i: int) -> tuple[int, int]:
        merged: Counter[Key] = Counter()
        for key, value in cells.items():
            merged[key[:i] + key[i + 1:]] += value
        return (sum(1 for v in merged.values() if v >= threshold),
                len({key[i] for key in cells}))

    best = max(range(len(dimensions)), key=lambda i: (*shown_without(i), -i))
    raise DisclosureRefused(
        f"every published cell of this table would be suppressed (all {len(rows)} of them are "
        f"below the threshold of {threshold} or would reveal one): coarsen the dimension "
        f"{dimensions[best]!r} (group its values or drop it) and build again")


@dataclass(frozen=True)
class PerturbationTable:
    """ONS-style p-table: for a count (rows 1..max_noise+1, the last for every larger count)
    the cell keys ``key_from..key_to`` add ``noise``. Noise runs from -max_noise to max_noise
    with triangular weights (no noise most likely), cut so no count goes below zero: above
    max_noise its mean is zero; below, slightly positive."""

    key_range: int
    max_noise: int
    rows: tuple[tuple[int, int, int, int], ...]  # (count, key_from, key_to, noise)

    @classmethod
    def build(cls, key_range: int, max_noise: int) -> PerturbationTable:
        rows: list[tuple[int, int, int, int]] = []
        for count in range(1, max_noise + 2):
            noises = [n for n in range(-max_noise, max_noise + 1) if count + n >= 0]
            weights = [max_noise + 1 - abs(n) for n in noises]
            total = sum(weights)
            exact = [key_range * w / total for w in weights]
            slots = [int(x) for x in exact]
            # Largest remainder, ties to the smaller noise: the table is a pure function of
            # its two parameters.
            by_remainder = sorted(range(len(noises)), key=lambda i: (slots[i] - exact[i], i))
            for i in by_remainder[:key_range - sum(slots)]:
                slots[i] += 1
            start = 0
            for noise, width in zip(noises, slots, strict=True):
                if width:
                    rows.append((count, start, start + width - 1, noise))
                    start += width
        return cls(key_range, max_noise, tuple(rows))

    def noise(self, count: int, cell_key: int) -> int:
        if count <= 0:
            return 0  # an empty cell stays empty
        row = min(count, self.max_noise + 1)
        for value, key_from, key_to, noise in self.rows:
            if value == row and key_from <= cell_key <= key_to:
                return noise
        raise AssertionError(f"the p-table has no entry for ({row}, {cell_key})")


def record_key(secret: bytes, record_id: str, key_range: int) -> int:
    """A record's key: deterministic for the secret and the id, uniform over the range."""
    digest = hmac.new(secret, record_id.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % key_range


def cell_key(secret: bytes, record_ids: Iterable[str], key_range: int) -> int:
    return sum(record_key(secret, str(r), key_range) for r in record_ids) % key_range


def protect_cell_key(cells: dict[Key, int], keys: dict[Key, int], dimensions: list[str],
                     totals: list[list[str]], table: PerturbationTable) -> AggregateResult:
    """Perturb every cell and total by its own cell key; a total's key is the sum of its
    cells' keys (its records are theirs), so it is the key the same records make anywhere."""
    rows: list[tuple[Key, int | None]] = []
    perturbed = 0
    for key in sorted(cells):
        noise = table.noise(cells[key], keys[key])
        perturbed += noise != 0
        rows.append((key, cells[key] + noise))
    groups = _groups(cells, dimensions, totals)
    for total_key in sorted(groups):
        members = groups[total_key]
        value = sum(cells[m] for m in members)
        noise = table.noise(value, sum(keys[m] for m in members) % table.key_range)
        perturbed += noise != 0
        rows.append((total_key, value + noise))
    report = {"method": "cell_key", "cells": len(cells), "totals": len(groups),
              "perturbed": perturbed, "keyRange": table.key_range,
              "maxNoise": table.max_noise}
    return AggregateResult(rows=rows, report=report)


def _groups(cells: dict[Key, int], dimensions: list[str],
            totals: list[list[str]]) -> dict[Key, list[Key]]:
    """Total key (dimension values, 'Total' where summed over) -> the cells it adds up."""
    groups: dict[Key, list[Key]] = {}
    for keep in totals:
        kept = [i for i, d in enumerate(dimensions) if d in keep]
        for key in cells:
            total_key = tuple(key[i] if i in kept else TOTAL for i in range(len(dimensions)))
            groups.setdefault(total_key, []).append(key)
    for members in groups.values():
        members.sort()
    return groups


class KAnonymity:
    """Counts equivalence classes of quasi-identifiers while rows stream past.

    Memory grows with the number of distinct combinations, never with the number of rows.
    """

    def __init__(self, quasi_identifiers: list[str], k: int) -> None:
        self.quasi_identifiers = quasi_identifiers
        self.k = k
        self.classes: Counter[tuple[Any, ...]] = Counter()

    def add(self, row: dict[str, Any]) -> None:
        if self.quasi_identifiers:
            self.classes[tuple(row.get(q) for q in self.quasi_identifiers)] += 1

    def check(self, dataset: str) -> dict[str, Any]:
        """Raise ``DisclosureRefused`` when a class is smaller than k; else return the report."""
        if not self.quasi_identifiers:
            return {"quasiIdentifiers": [], "k": self.k, "checked": False}
        smallest = min(self.classes.values(), default=0)
        small = sum(1 for n in self.classes.values() if n < self.k)
        if small:
            raise DisclosureRefused(
                f"dataset {dataset!r} fails {self.k}-anonymity on "
                f"{', '.join(self.quasi_identifiers)}: {small} combination(s) of values describe "
                f"fewer than {self.k} rows (the smallest describes {smallest}); coarsen the "
                "quasi-identifiers or drop them, and build again"
            )
        return {"quasiIdentifiers": self.quasi_identifiers, "k": self.k, "checked": True,
                "classes": len(self.classes), "smallestClass": smallest}
