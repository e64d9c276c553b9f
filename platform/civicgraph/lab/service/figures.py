"""The lab's figures: ideas in per month, share from outside, conversion, operating models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.core import clock
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import figures as repo
from civicgraph.lab.service.lifecycles import IDEA, PILOT


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def lab_figures(graph: Graph, since: str | dt.datetime | None = None,
                until: str | dt.datetime | None = None) -> dict[str, Any]:
    """Counts anyone may read (no personal data); ``since``/``until`` bound the periods."""
    row = repo.figures(
        graph,
        clock.iso(clock.parse(since, "since")) if since else None,
        clock.iso(clock.parse(until, "until")) if until else None,
        {**IDEA.params("accepted"), **PILOT.params("mainstreamed")},
    )
    periods = [{**dict(p), "externalShare": _share(p["external"], p["ideas"])}
               for p in row["periods"]]
    ideas_in = sum(p["ideas"] for p in periods)
    external = sum(p["external"] for p in periods)
    return {
        "ideasPerPeriod": periods,
        "ideasIn": ideas_in,
        "externalShare": _share(external, ideas_in),
        "conversion": {
            "ideas": row["ideas"], "ideasAccepted": row["accepted"],
            "ideasBecameChallenges": row["becameChallenges"],
            "ideasReachedPilot": row["reachedPilot"], "ideasMainstreamed": row["mainstreamed"],
            "challenges": row["challenges"], "challengesWithPilot": row["challengesWithPilot"],
            "pilots": row["pilots"], "pilotsMainstreamed": row["pilotsMainstreamed"],
        },
        "pilotsByOperatingModel": [dict(m) for m in row["byModel"]],
    }
