"""The partner graph's GraphQL types are the shared model's (``civicgraph.api.model_types``),
built for every domain's declarations at once; this module keeps the names its queries use."""

from civicgraph.api.model_filters import SORT, WHERE, connection_args, list_args
from civicgraph.api.model_scalars import OrganisationKind, SortDirection
from civicgraph.api.model_types import CONNECTIONS, OBJECTS, Connection, Edge, Node, PageInfo

__all__ = ["CONNECTIONS", "OBJECTS", "SORT", "WHERE", "Connection", "Edge", "Node",
           "OrganisationKind", "PageInfo", "SortDirection", "connection_args", "list_args"]
