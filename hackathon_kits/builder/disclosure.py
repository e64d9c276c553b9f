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
"""

from __future__ import annotations

from collections import Counter
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
