"""The partner graph's schema: versioned Cypher migrations and the runner that records them."""

from graph_schema.migrator import Migration, MigrationError, Migrator, discover_migrations

__all__ = ["Migration", "MigrationError", "Migrator", "discover_migrations"]
