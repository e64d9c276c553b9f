"""Figures turned into what a page shows: progress towards a target, bars for a chart."""

from __future__ import annotations

from typing import Any

# Human words for the gate conditions the lifecycle tables name.
CONDITION_TEXT = {
    "has_outcome_measures": "The pilot has at least one outcome measure",
    "every_measure_has_baseline": "Every outcome measure has a baseline",
    "sponsor_signed_off": "The sponsor signed off this stage",
    "every_measure_measured": "Every outcome measure has been measured at least once",
    "target_met_on_latest": "The latest measurement of every measure meets its target",
    "operating_model_complete": "All six operating-model variables are set",
}


def progress(measure: dict[str, Any]) -> dict[str, Any]:
    """Latest value, and how far it went from baseline towards target (0..100, clamped)."""
    values = measure.get("measurements") or []
    latest = values[-1]["value"] if values else None
    baseline, target = measure.get("baseline"), measure.get("target")
    share = None
    if latest is not None and baseline is not None and target is not None and target != baseline:
        share = max(0.0, min(1.0, (latest - baseline) / (target - baseline)))
    met = None
    if latest is not None and target is not None:
        met = latest >= target if measure.get("direction") == "INCREASE" else latest <= target
    return {**measure, "latest": latest, "percent": None if share is None else round(share * 100),
            "met": met, "chart": series(values, baseline, target)}


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
