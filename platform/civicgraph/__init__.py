"""CivicGraph: a GraphQL gateway over a Neo4j partner graph for public-service innovation.

The package lives in ``platform/civicgraph`` because ``platform`` itself must stay a plain folder:
a package of that name would shadow the standard library module that the Neo4j driver and Celery
import.
"""

__version__ = "0.1.0"
