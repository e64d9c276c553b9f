"""The GraphQL API: one module per domain, assembled in ``schema.py``."""
