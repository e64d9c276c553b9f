"""The other domains' records, declared as data in the one model the compiler reads.

The compiler sits below the domains (import-linter's layers), so it cannot import them; each
domain's labels, properties, rules and relationships are declared here instead, in a module per
domain, and the domain's own code (validation, lifecycles, GraphQL types) reads them from here.
Nothing in these modules runs a statement.
"""

# The model gathers these modules at its end; loading it first keeps that order whichever of
# the two a caller imports first.
import civicgraph.compiler.model  # noqa: F401
