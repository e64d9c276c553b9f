"""HTTP blueprints of the gateway: /graphql, health and readiness, error pages, request logs."""
