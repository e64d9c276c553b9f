"""Figures turned into what a page shows: progress towards a target, bars for a chart."""

from __future__ import annotations

from typing import Any


def progress(measure: dict[str, Any]) -> dict[str, Any]:
    """How far the latest value went from baseline towards target (0..100, clamped).

    The latest value and whether it meets the target come with the measure from its Cypher: the
    same rule the stage gates apply, so a page never says "target met" where a gate says not."""
    values = measure.get("measurements") or []
    latest, baseline, target = measure.get("latest"), measure.get("baseline"), measure.get("target")
    share = None
    if latest is not None and baseline is not None and target is not None and target != baseline:
        share = max(0.0, min(1.0, (latest - baseline) / (target - baseline)))
    return {**measure, "percent": None if share is None else round(share * 100),
            "chart": series(values, baseline, target)}


def series(values: list[dict[str, Any]], baseline: float | None, target: float | None,
           width: int = 240, height: int = 60) -> dict[str, Any] | None:
    """Bars of the measurements over time with the baseline and target as lines (SVG units)."""
    if not values:
        return None
    numbers = [float(v["value"]) for v in values]
    marks = [x for x in (baseline, target) if x is not None]
    top = max(numbers + marks + [0.0]) or 1.0
    slot = width / len(values)

    def y(value: float) -> float:
        return round(height - height * value / top, 1)

    return {"width": width, "height": height,
            "bars": [{"x": round(i * slot + 2, 1), "w": round(min(max(slot - 4, 2), 24), 1),
                      "y": y(n), "h": round(height - y(n), 1), "value": n, "at": v["at"][:10]}
                     for i, (n, v) in enumerate(zip(numbers, values, strict=True))],
            "baseline": y(baseline) if baseline is not None else None,
            "target": y(target) if target is not None else None}


def bars(rows: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """Label, value and width in percent of the largest, for an inline SVG bar chart."""
    top = max((v for _, v in rows), default=0) or 1
    return [{"label": label, "value": value, "width": round(100 * value / top, 1)}
            for label, value in rows]


def pilot_view(pilot: dict[str, Any]) -> dict[str, Any]:
    return {**pilot, "measures": [progress(m) for m in pilot.get("measures") or []]}


def missing_by_proposal(missing: list[dict[str, Any]],
                        criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scores still missing, one row a proposal (in the panel's order) with the judges who
    owe them; a judge who scored some criteria is shown with the ones left."""
    rows: dict[str, dict[str, Any]] = {}
    for gap in missing:
        row = rows.setdefault(gap["proposalId"], {"proposalId": gap["proposalId"],
                                                  "title": gap["proposalTitle"], "judges": []})
        partial = 0 < len(gap["missingCriteria"]) < len(criteria)
        row["judges"].append({"name": gap["name"],
                              "left": gap["missingCriteria"] if partial else []})
    return list(rows.values())
