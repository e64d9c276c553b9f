"""Identity's GraphQL: client management and citizens' consents."""

from civicgraph.identity.api.clients import AccessQueries
from civicgraph.identity.api.consent import ConsentQueries
from civicgraph.identity.api.mutations import AccessMutations, ConsentMutations

QUERIES = (AccessQueries, ConsentQueries)
MUTATIONS = (AccessMutations, ConsentMutations)
