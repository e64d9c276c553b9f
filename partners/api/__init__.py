"""Partner platforms' and career matching's GraphQL."""

from partners.api.careers import CareerQueries
from partners.api.mutations import PartnerMutations
from partners.api.platforms import PartnerQueries

QUERIES = (PartnerQueries, CareerQueries)
MUTATIONS = (PartnerMutations,)
