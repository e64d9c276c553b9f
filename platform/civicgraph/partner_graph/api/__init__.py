"""The partner graph's GraphQL types, queries and mutations."""

from civicgraph.partner_graph.api.mutations import PartnerGraphMutations
from civicgraph.partner_graph.api.organisations import OrganisationMutations
from civicgraph.partner_graph.api.queries import PartnerGraphQueries

QUERIES = (PartnerGraphQueries,)
MUTATIONS = (OrganisationMutations, PartnerGraphMutations)
