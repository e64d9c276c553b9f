"""The partner graph's rows of the access table.

Its public catalogue (profiles, offers and taxonomies) needs no token. ``node(id)``, platforms
and the discovery queries (partners of partners, chains, similar organisations) are for partners
(graph:read, the default for queries). Its create/update/delete mutations are admin work until
ownership of offers is modelled (the default for mutations).
"""

from __future__ import annotations

from civicgraph.core.access import ADMIN, GRAPH_WRITE, PUBLIC, Rule, needs

POLICY: dict[str, Rule] = {
    "Query.organisations": PUBLIC,
    "Query.organisation": PUBLIC,
    "Query.vacancies": PUBLIC,
    "Query.trainingCourses": PUBLIC,
    "Query.services": PUBLIC,
    "Query.skills": PUBLIC,
    "Query.occupations": PUBLIC,
    "Query.fields": PUBLIC,
    "Mutation.registerOrganisation": needs(ADMIN),
    "Mutation.linkPartners": needs(GRAPH_WRITE),  # and one side must be the caller's own
}
