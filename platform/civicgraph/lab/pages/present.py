"""Figures turned into what a page shows: progress towards a target, bars for a chart, and why a
judge may not score a proposal."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext


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


# Each tie's sentence (msgids of messages.po), to the expert and about them on the staff's board.
_TO_THE_EXPERT = {
    "DECLARED": "You declared a conflict of interest: %(declared)s",
    "AUTHOR": "You wrote this proposal.",
    "MEMBER_OF_PROPOSER": "You are a member of the proposing organisation, %(proposer)s.",
    "MEMBER_OF_PROPOSING_TEAM": "You are a member of the proposing team, %(proposer)s.",
    "COLLEAGUE_OF_TEAM_MEMBER": "You work in the same organisation as a member of the proposing "
                                "team, %(proposer)s.",
    "MEMBER_OF_PARTNER": "You are a member of %(partner)s, a partner of the proposing "
                         "organisation, %(proposer)s.",
}
_ABOUT_THE_EXPERT = {
    "DECLARED": "Declared a conflict of interest: %(declared)s",
    "AUTHOR": "Wrote this proposal.",
    "MEMBER_OF_PROPOSER": "A member of the proposing organisation, %(proposer)s.",
    "MEMBER_OF_PROPOSING_TEAM": "A member of the proposing team, %(proposer)s.",
    "COLLEAGUE_OF_TEAM_MEMBER": "Works in the same organisation as a member of the proposing "
                                "team, %(proposer)s.",
    "MEMBER_OF_PARTNER": "A member of %(partner)s, a partner of the proposing organisation, "
                         "%(proposer)s.",
}


def exclusion(tie: dict[str, Any], you: bool = False) -> str:
    """A tie (its code and names, from the lab's evaluation) as a sentence in the reader's
    language; a code this page does not know yet is shown with the service's English reason."""
    code = "MEMBER_OF_PROPOSING_TEAM" \
        if tie["code"] == "MEMBER_OF_PROPOSER" and tie.get("team") else tie["code"]
    sentence = (_TO_THE_EXPERT if you else _ABOUT_THE_EXPERT).get(code)
    if sentence is None:
        return str(tie.get("reason") or code)
    names = {k: tie.get(k) or "" for k in ("declared", "proposer", "partner")}
    return str(gettext(sentence, **names))
