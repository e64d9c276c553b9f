"""Connectors: each maps one partner format (schema.org, Companies House, ESCO) to graph records."""
