"""Cypher for the innovation lab, one module per record kind."""
