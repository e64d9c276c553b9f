"""The partner graph's Cypher: the only place its statements live."""
