"""Identity's Cypher: the only place its statements live."""
