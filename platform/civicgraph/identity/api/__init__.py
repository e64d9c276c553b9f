"""Identity's GraphQL: client management and citizens' consents."""

from civicgraph.identity.api.clients import AccessMutations, AccessQueries
from civicgraph.identity.api.consent import ConsentMutations, ConsentQueries

QUERIES = (AccessQueries, ConsentQueries)
MUTATIONS = (AccessMutations, ConsentMutations)
