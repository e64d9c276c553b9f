"""Compiles a GraphQL-free selection tree into one parameterised Cypher statement per root field.

The GraphQL layer turns its field nodes into ``Selection`` trees; services validate arguments and
call ``repositories.partner_graph``, which asks this package for a (cached) plan and runs it.
"""

from civicgraph.compiler.selection import Selection, shape

__all__ = ["Selection", "shape"]
