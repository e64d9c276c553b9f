"""The partners domain's Cypher: feeds, provenance, sync runs and career matching."""
