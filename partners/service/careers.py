"""Career paths beyond matching: explained vacancies, courses for the gaps, occupation paths.

The profile is a list of skill URIs. Today GraphQL passes an anonymous list; the consented
citizen profile (identity and consent) plugs in by reading the person's skills under consent and
calling ``match_vacancies`` with them.
"""

from __future__ import annotations

from typing import Any

from civicgraph.compiler.model import OCCUPATION, SKILL
from civicgraph.core import clock
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from partners.cypher import careers as repo
from partners.service.platforms import ANONYMOUS, Caller

MAX_SKILLS = 200
MAX_RESULTS = 100
MAX_HOPS = 3


def _skills(skills: list[str]) -> list[str]:
    clean = sorted({s.strip() for s in skills if s and s.strip()})
    if not clean:
        raise BadInput("give at least one skill URI", field="skills")
    if len(clean) > MAX_SKILLS:
        raise BadInput(f"at most {MAX_SKILLS} skills", field="skills")
    return clean


def match_vacancies(graph: Graph, skills: list[str], *, first: int = 10,
                    courses_per_vacancy: int = 3, caller: Caller = ANONYMOUS
                    ) -> list[dict[str, Any]]:
    if not 1 <= first <= MAX_RESULTS:
        raise BadInput(f"first must be between 1 and {MAX_RESULTS}", field="first")
    return repo.match_vacancies(graph, _skills(skills), first, max(0, courses_per_vacancy),
                                caller.platform_id, caller.admin, clock.now().date())


def vacancy(graph: Graph, vacancy_id: str, caller: Caller = ANONYMOUS) -> dict[str, Any]:
    found = repo.vacancy(graph, vacancy_id, caller.platform_id, caller.admin)
    if found is None:
        raise NotFound(f"no vacancy with id {vacancy_id}", ids=[vacancy_id])
    return found


def occupation_paths(graph: Graph, source: str, target: str, *, max_hops: int = MAX_HOPS,
                     first: int = 5, courses_per_step: int = 3, caller: Caller = ANONYMOUS
                     ) -> list[dict[str, Any]]:
    if not 1 <= max_hops <= MAX_HOPS:
        raise BadInput(f"maxHops must be between 1 and {MAX_HOPS}", field="maxHops")
    if not 1 <= first <= 20:
        raise BadInput("first must be between 1 and 20", field="first")
    if source == target:
        raise BadInput("the target occupation is the one you start from", field="to")
    missing, paths = repo.occupation_paths(graph, source, target, max_hops, first,
                                           max(0, courses_per_step), caller.platform_id,
                                           caller.admin)
    if missing:
        raise NotFound(f"no occupation {', '.join(sorted(missing))}", ids=sorted(missing))
    return paths


def load_esco(graph: Graph, data: Any) -> dict[str, int]:
    """Load an ESCO download (or the shipped sample) parsed by ``partners.connectors.esco.load``.

    Its skills and occupations obey the partner graph's rules (``compiler.model``) like any
    other write: a bad row refuses the load (``BadInput``) before anything is written."""
    for skill in data.skills:
        SKILL.clean(skill, creating=True)
    for occupation in data.occupations:
        OCCUPATION.clean(occupation, creating=True)
    return repo.load_esco(graph, data.occupations, data.skills, data.relations)
