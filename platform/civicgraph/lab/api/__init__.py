"""The lab's GraphQL: types, queries and mutations over ``civicgraph.lab.service``."""

from civicgraph.lab.api.mutations import LabMutations
from civicgraph.lab.api.mutations_hackathons import LabHackathonMutations
from civicgraph.lab.api.mutations_pilots import LabPilotMutations
from civicgraph.lab.api.queries import LabQueries

QUERIES = (LabQueries,)
MUTATIONS = (LabMutations, LabPilotMutations, LabHackathonMutations)
