"""Partner platforms' and career matching's GraphQL."""

from partners.api.careers import CareerQueries
from partners.api.platforms import PartnerMutations, PartnerQueries

QUERIES = (PartnerQueries, CareerQueries)
MUTATIONS = (PartnerMutations,)
