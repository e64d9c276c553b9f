"""Partner platforms' and career paths' rows of the access table.

Matching and career paths serve jobseekers without an account; a sync is asked by the
platform's own client (the service checks which platform) or an admin; registering and
promoting platforms and reading the quarantine are admin work.
"""

from __future__ import annotations

from civicgraph.core.access import ADMIN, GRAPH_WRITE, PUBLIC, Rule, needs

POLICY: dict[str, Rule] = {
    "Query.matchVacancies": PUBLIC,
    "Query.careerPaths": PUBLIC,
    "Query.vacancy": PUBLIC,
    "Query.quarantinedRecords": needs(ADMIN),
    "Mutation.syncPartnerFeed": needs(GRAPH_WRITE),
    "Mutation.registerPartnerPlatform": needs(ADMIN),
    "Mutation.promotePartnerPlatform": needs(ADMIN),
}
