"""The API machinery: GraphQL assembly and execution, limits, the policy engine, HTTP blueprints."""
