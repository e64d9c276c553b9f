"""HTTP blueprints: health, the GraphQL endpoint and its GraphiQL page."""
