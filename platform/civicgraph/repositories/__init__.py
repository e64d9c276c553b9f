"""Parameterised Cypher, one module per domain: the only place Cypher text lives."""
