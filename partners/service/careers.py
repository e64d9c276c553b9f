"""Career paths beyond matching: explained vacancies, courses for the gaps, occupation paths.

The profile is a list of skill URIs. Today GraphQL passes an anonymous list; the consented
citizen profile (identity and consent) plugs in by reading the person's skills under consent and
calling ``match_vacancies`` with them.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from civicgraph.compiler.model import OCCUPATION, SKILL
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import PUBLIC, Visibility
from civicgraph.core import clock
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from partners.cypher import careers as repo

MAX_SKILLS = 200
MAX_RESULTS = 100
MAX_HOPS = 3


def _sel(field: str, *children: Selection | str) -> Selection:
    return Selection(field, field, children=tuple(
        Selection(c, c) if isinstance(c, str) else c for c in children))


# What a caller without a GraphQL selection (the CLI, the benchmark, a script) gets: each
# vacancy with its employer, the skills matched and missing, and the courses for the gaps.
_SKILL = _sel("skill", "uri", "name")
MATCH_DEFAULT = _sel(
    "matchVacancies",
    _sel("vacancy", "id", "title", "status", "closesAt", _sel("organisation", "id", "name")),
    "score", "maxScore", _sel("matched", _SKILL, "essential"),
    _sel("missing", _SKILL, "essential"),
    _sel("courses", _sel("course", "id", "title", "startDate"), "closes"))
PATHS_DEFAULT = _sel(
    "careerPaths", "weakestShare",
    _sel("steps", _sel("from", "uri", "name"), _sel("to", "uri", "name"), "overlap", "needed",
         "share", _sel("gap", _SKILL, "essential"),
         _sel("courses", _sel("course", "id", "title"), "closes")))
_DEFAULT_DOCUMENT = ("partners.service.careers", "default")


def _skills(skills: list[str]) -> list[str]:
    clean = sorted({s.strip() for s in skills if s and s.strip()})
    if not clean:
        raise BadInput("give at least one skill URI", field="skills")
    if len(clean) > MAX_SKILLS:
        raise BadInput(f"at most {MAX_SKILLS} skills", field="skills")
    return clean


def match_vacancies(graph: Graph, skills: list[str], *, first: int = 10,
                    courses_per_vacancy: int = 3, viewer: Visibility = PUBLIC,
                    selection: Selection | None = None, document: Hashable | None = None
                    ) -> list[dict[str, Any]]:
    """The ranked, explained matches in one statement, shaped by ``selection`` (the client's;
    ``MATCH_DEFAULT`` without one) and keyed by its response keys."""
    if not 1 <= first <= MAX_RESULTS:
        raise BadInput(f"first must be between 1 and {MAX_RESULTS}", field="first")
    if selection is None:
        selection, document = MATCH_DEFAULT, _DEFAULT_DOCUMENT
    return repo.match_vacancies(graph, selection, document, viewer, _skills(skills), first,
                                max(0, courses_per_vacancy), clock.now().date())


def occupation_paths(graph: Graph, source: str, target: str, *, max_hops: int = MAX_HOPS,
                     first: int = 5, courses_per_step: int = 3, viewer: Visibility = PUBLIC,
                     selection: Selection | None = None, document: Hashable | None = None
                     ) -> list[dict[str, Any]]:
    """Paths between two occupations in one statement, shaped like ``match_vacancies``."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise BadInput(f"maxHops must be between 1 and {MAX_HOPS}", field="maxHops")
    if not 1 <= first <= 20:
        raise BadInput("first must be between 1 and 20", field="first")
    if source == target:
        raise BadInput("the target occupation is the one you start from", field="to")
    if selection is None:
        selection, document = PATHS_DEFAULT, _DEFAULT_DOCUMENT
    missing, paths = repo.occupation_paths(graph, selection, document, viewer, source, target,
                                           max_hops, first, max(0, courses_per_step))
    if missing:
        raise NotFound(f"no occupation {', '.join(sorted(missing))}", ids=sorted(missing))
    return paths


def load_esco(graph: Graph, data: Any) -> dict[str, int]:
    """Load an ESCO download (or the shipped sample) parsed by ``vocabulary.load`` (the partner
    graph's).

    Its skills and occupations obey the partner graph's rules (``compiler.model``) like any
    other write: a bad row refuses the load (``BadInput``) before anything is written."""
    for skill in data.skills:
        SKILL.clean(skill, creating=True)
    for occupation in data.occupations:
        OCCUPATION.clean(occupation, creating=True)
    return repo.load_esco(graph, data.occupations, data.skills, data.relations)
